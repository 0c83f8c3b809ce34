import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './app-env.js';
import { problem } from './errors.js';

/**
 * A router whose request validation failures become 400 problem+json responses. Modules that add
 * request variables pass their own env extending AppEnv (e.g. one with the signed-in user).
 */
export const createRouter = <E extends AppEnv = AppEnv>() =>
  new OpenAPIHono<E>({
    defaultHook: (result, c) => {
      if (result.success) return;
      return problem(c, 400, {
        detail: `Invalid request ${result.target}`,
        errors: result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      });
    },
  });
