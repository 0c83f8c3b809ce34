import type { ModuleManifest } from './types.js';

/** test/tcp-proxy.ts: tests cut the app off from its Postgres or Redis server, and reconnect it, through it. */
export const tcpProxy: ModuleManifest = {
  id: 'tcp-proxy',
  description: 'Tests: a TCP proxy that simulates the database or Redis server going away and coming back',
  when: (a) => a.db === 'postgres' || a.cache === 'redis',
};
