import { createServer } from 'node:http';
import type { Logger } from '../logger.js';
import type { Metrics } from './metrics.js';

interface MetricsServerOptions {
  /** Undefined: no server. */
  port: number | undefined;
  host: string;
  logger: Logger;
  metrics: Metrics;
}

/**
 * GET /metrics on a port of its own (METRICS_PORT for the API), for a scraper on the private network.
 * It listens on `host` (HOST, every interface by default) without a token: keep the port closed to the
 * internet (a platform's private network, a firewall). Rejects when it cannot listen (the port is
 * taken), so the process stops at boot instead of running on unscraped.
 */
export const startMetricsServer = async ({ port, host, logger, metrics }: MetricsServerOptions) => {
  if (port === undefined) return undefined;
  const { registry } = metrics;
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
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => logger.error({ err, port }, 'metrics: server error'));
  logger.info({ port }, 'metrics served');
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
