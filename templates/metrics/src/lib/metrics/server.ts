import { createServer } from 'node:http';
import type { AppDeps } from '../../deps.js';
import type { Env } from '../../env.js';
import type { Logger } from '../logger.js';

/**
 * With METRICS_PORT set, GET /metrics on that port, for a scraper on the private network (bind it
 * where the internet cannot reach: a private interface, or a port the platform does not expose).
 * Without a token: whoever reaches the port may read the metrics, which carry no user data.
 */
export const startMetricsServer = ({ env, logger, deps }: { env: Env; logger: Logger; deps: AppDeps }) => {
  if (env.METRICS_PORT === undefined) return undefined;
  const { registry } = deps.metrics;
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' }).end(text),
      (err: unknown) => {
        logger.error({ err }, 'metrics: collecting failed');
        res.writeHead(500).end();
      },
    );
  });
  server.listen(env.METRICS_PORT, env.HOST, () => logger.info({ port: env.METRICS_PORT }, 'metrics served'));
  server.on('error', (err) => logger.error({ err, port: env.METRICS_PORT }, 'metrics: cannot listen'));
  return {
    stop: (deadlineMs: number) =>
      new Promise<boolean>((resolve) => {
        const deadline = setTimeout(() => {
          server.closeAllConnections();
          resolve(false);
        }, deadlineMs);
        server.close(() => {
          clearTimeout(deadline);
          resolve(true);
        });
        server.closeIdleConnections();
      }),
  };
};
