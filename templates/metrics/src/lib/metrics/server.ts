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
 * GET /metrics on a port of its own (METRICS_PORT for the API), for a scraper on the private network
 * (bind it where the internet cannot reach: a private interface, or a port the platform does not
 * expose). Without a token: whoever reaches the port may read the metrics, which carry no user data.
 */
export const startMetricsServer = ({ port, host, logger, metrics }: MetricsServerOptions) => {
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
  server.listen(port, host, () => logger.info({ port }, 'metrics served'));
  server.on('error', (err) => logger.error({ err, port }, 'metrics: cannot listen'));
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
