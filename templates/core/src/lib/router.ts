import type { HttpBindings } from '@hono/node-server';
import { OpenAPIHono } from '@hono/zod-openapi';
import { problem } from './errors.js';

/**
 * Types shared by every router: Node's request and response as bindings (absent when a test calls
 * app.request()), and per-request variables.
 */
export interface AppEnv {
  Bindings: Partial<HttpBindings>;
  Variables: { requestId: string };
}

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
