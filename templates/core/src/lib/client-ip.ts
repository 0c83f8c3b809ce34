import { isIPv6 } from 'node:net';
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

/** The eight 16-bit groups of an IPv6 address, `::` expanded; an IPv4 tail counts as two. */
const groupsOf = (ip: string): number[] => {
  const parse = (part: string) =>
    part
      .split(':')
      .filter(Boolean)
      .flatMap((group) => (group.includes('.') ? [0, 0] : [Number.parseInt(group, 16)]));
  const [head = '', tail] = (ip.split('%')[0] ?? '').split('::');
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...Array<number>(Math.max(0, 8 - left.length - right.length)).fill(0), ...right];
};

/**
 * The network an address stands for in per-client limits: an IPv4 address itself, an IPv6 address
 * its /64. One subscriber is routed a whole /64, so counting each of its 2^64 addresses apart would
 * give it as many limits.
 */
export const networkOf = (ip: string): string => {
  if (!isIPv6(ip)) return ip;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  if (mapped) return mapped;
  const prefix = groupsOf(ip)
    .slice(0, 4)
    .map((group) => group.toString(16));
  return `${prefix.join(':')}::/64`;
};

/** The client's network (networkOf its address): the key per-client limits count under. */
export const clientNetwork = (c: Context<AppEnv>, trustedProxies: number): string =>
  networkOf(clientIp(c, trustedProxies));
