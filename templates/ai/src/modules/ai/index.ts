import type { AppDeps } from '../../deps.js';
import { scopedRouter } from '../../lib/scope.js';
import { aiHandlers } from './handlers.js';
import { aiRateLimit } from './rate-limit.js';
import { aiChatRoute, aiChatStreamRoute, aiStatusRoute, aiSummarizeRoute, aiUsageRoute } from './routes.js';

/** /ai: the AI gateway's endpoints (src/lib/scope.ts says who may call them). */
export const aiRoutes = (deps: AppDeps) => {
  const h = aiHandlers(deps);
  const router = scopedRouter(deps, '/ai');
  // After the auth check scopedRouter adds, so the limit counts per user.
  router.use('/ai/*', aiRateLimit(deps));
  return router
    .openapi(aiStatusRoute, h.status)
    .openapi(aiUsageRoute, h.usage)
    .openapi(aiChatRoute, h.chat)
    .openapi(aiChatStreamRoute, h.stream)
    .openapi(aiSummarizeRoute, h.summarize);
};
