import type { HttpBindings } from '@hono/node-server';

/**
 * Types shared by every router and middleware: Node's request and response as bindings (absent when
 * a test calls app.request()), and per-request variables.
 */
export interface AppEnv {
  Bindings: Partial<HttpBindings>;
  Variables: { requestId: string };
}
