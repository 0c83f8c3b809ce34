import { ai, aiAnthropic, aiGemini, aiOpenai } from './ai.js';
import { authClerk, authJwt, authSupabase, projects, scopeShared } from './auth.js';
import { cacheMemory, cacheRedis } from './cache.js';
import { ci } from './ci.js';
import { core } from './core.js';
import { dbPostgres, dbSqlite } from './db.js';
import { deployDocker, deployFly, deployRailway, deployRender } from './deploy.js';
import { email, emailConsole, emailResend, emailSendgrid, emailSmtp } from './email.js';
import { files, filesLocal } from './files.js';
import { emailJobs, jobsBullmq } from './jobs.js';
import { metrics, metricsAi, metricsJobs } from './metrics.js';
import { paymentsAi, paymentsStripe, paymentsStripeJobs } from './payments.js';
import { storageCloudinary, storageLocal, storageR2, storageS3 } from './storage.js';
import { tcpProxy } from './tcp-proxy.js';
import type { ModuleManifest } from './types.js';
import {
  usage,
  usageAi,
  usageAuth,
  usageEmail,
  usageEmailJobs,
  usageFiles,
  usageJobs,
  usageShared,
  usageStripe,
  usageStripeInline,
  usageStripeJobs,
} from './usage.js';
import { webhooksClerk, webhooksInbox, webhooksSupabase } from './webhooks.js';

/** Every module, in render order. Slot contributions keep this order in shared files. */
export const MODULES: readonly ModuleManifest[] = [
  core,
  dbSqlite,
  dbPostgres,
  cacheMemory,
  cacheRedis,
  tcpProxy,
  authJwt,
  authSupabase,
  authClerk,
  scopeShared,
  projects,
  webhooksInbox,
  webhooksClerk,
  webhooksSupabase,
  storageLocal,
  storageS3,
  storageR2,
  storageCloudinary,
  files,
  filesLocal,
  email,
  emailConsole,
  emailSmtp,
  emailResend,
  emailSendgrid,
  ai,
  aiOpenai,
  aiAnthropic,
  aiGemini,
  paymentsStripe,
  paymentsAi,
  usage,
  usageAuth,
  usageShared,
  usageAi,
  usageFiles,
  usageEmail,
  usageStripe,
  usageStripeInline,
  jobsBullmq,
  emailJobs,
  paymentsStripeJobs,
  usageStripeJobs,
  usageEmailJobs,
  usageJobs,
  metrics,
  metricsAi,
  metricsJobs,
  deployDocker,
  deployRailway,
  deployFly,
  deployRender,
  ci,
];
