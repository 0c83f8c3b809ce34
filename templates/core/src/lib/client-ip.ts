import type { Context } from 'hono';
import type { AppEnv } from './app-env.js';

/**
 * The client's address. With `trustedProxies` = 0 it is the socket's peer, so X-Forwarded-For cannot
 * be spoofed. Behind N proxies, each appends the address it saw; the N-th entry from the right is the
 * last one a trusted proxy wrote, and anything left of it may be forged by the client.
 */
export const clientIp = (c: Context<AppEnv>, trustedProxies: number): string => {
  const peer = c.env?.incoming?.socket.remoteAddress ?? 'unknown';
  if (trustedProxies === 0) return peer;
  const forwarded = c.req.header('x-forwarded-for')?.split(',') ?? [];
  const chain = [...forwarded.map((hop) => hop.trim()), peer];
  return chain[Math.max(0, chain.length - 1 - trustedProxies)] ?? peer;
};
