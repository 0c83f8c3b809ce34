import { connect, createServer, type Socket } from 'node:net';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { cacheUnavailable, createTestCache } from '../../test/cache.js';
import { createJobs, QUEUE_COMMAND_TIMEOUT_MS } from './queue.js';

/** A TCP proxy to Redis that, once `freeze()` is called, keeps the connection but passes nothing on. */
const startFreezingProxy = async (target: string) => {
  const { hostname, port } = new URL(target);
  let frozen = false;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(port) || 6379, hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
    }
    client.on('data', (chunk) => {
      if (!frozen) upstream.write(chunk);
    });
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as { port: number }).port);
  return {
    url: url.toString(),
    freeze: () => {
      frozen = true;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
};

describe.skipIf(cacheUnavailable)('jobs queue', () => {
  it('fails an enqueue when Redis takes the command but never answers, instead of holding it', async () => {
    const cache = await createTestCache();
    const proxy = await startFreezingProxy(cache.env.REDIS_URL);
    const prefix = `${cache.env.REDIS_KEY_PREFIX}jobs`;
    const jobs = await createJobs({ url: proxy.url, prefix, logger: pino({ level: 'silent' }) });
    try {
      proxy.freeze();
      const started = Date.now();
      await expect(jobs.enqueue('daily-report', {})).rejects.toThrow(/timed out/i);
      expect(Date.now() - started).toBeLessThan(QUEUE_COMMAND_TIMEOUT_MS + 2_000);
    } finally {
      await proxy.close();
      await jobs.close().catch(() => {});
      await cache.drop();
    }
  }, 20_000);
});
