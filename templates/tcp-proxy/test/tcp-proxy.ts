import type { AddressInfo } from 'node:net';
import { connect, createServer, type Socket } from 'node:net';

const DEFAULT_PORTS: Record<string, number> = { 'postgres:': 5432, 'postgresql:': 5432, 'redis:': 6379 };

/**
 * A loopback TCP proxy to the server at `target` (a postgres:// or redis:// URL); `url` is `target` through
 * the proxy. `kill()` drops every connection and stops listening: from the app's side, exactly a server
 * that died. `revive()` listens again on the same port: the server is back.
 */
export const startTcpProxy = async (target: string) => {
  const { hostname, port, protocol } = new URL(target);
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = createServer((client) => {
    const upstream = connect(Number(port) || (DEFAULT_PORTS[protocol] ?? 0), hostname);
    track(client);
    track(upstream);
    client.pipe(upstream).pipe(client);
  });
  const listen = (onPort: number) => new Promise<void>((resolve) => server.listen(onPort, '127.0.0.1', resolve));
  await listen(0);
  const proxyPort = (server.address() as AddressInfo).port;
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String(proxyPort);
  return {
    url: url.toString(),
    kill: async () => {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    revive: () => listen(proxyPort),
  };
};
