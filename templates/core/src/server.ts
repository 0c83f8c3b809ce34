import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { AppType } from './app.js';

export interface RunningServer {
  port: number;
  /**
   * Stops accepting connections and waits for in-flight requests. Resolves true once all are done,
   * or false at `deadlineMs`, when the connections still open are cut.
   */
  stop: (deadlineMs: number) => Promise<boolean>;
}

const stop = (server: Server, deadlineMs: number) =>
  new Promise<boolean>((resolve) => {
    // close() leaves keep-alive connections open until they time out; close each one as soon as it goes idle.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => {
      server.closeAllConnections();
      resolve(false);
    }, deadlineMs);
    server.on('request', (_req, res) => res.setHeader('Connection', 'close'));
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve(true);
    });
  });

export const startServer = (app: AppType, { port, host }: { port: number; host: string }) =>
  new Promise<RunningServer>((resolve, reject) => {
    const server = createServer(getRequestListener(app.fetch));
    server.once('error', reject);
    server.listen(port, host, () => {
      resolve({ port: (server.address() as AddressInfo).port, stop: (deadlineMs) => stop(server, deadlineMs) });
    });
  });
