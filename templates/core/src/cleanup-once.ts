import { boot } from './boot.js';
import { runCleanup } from './cleanup.js';
import { closeDeps } from './deps.js';
import { flushLogger } from './lib/logger.js';

// `npm run cleanup`: the cleanup once, then exit; schedule it on your platform (a cron job) when no job
// worker runs it weekly. Exit code 1 when a task failed (each failure is logged).

const { logger, deps } = await boot();
try {
  await runCleanup(deps);
} catch {
  process.exitCode = 1;
} finally {
  await closeDeps(deps);
  await flushLogger(logger);
}
