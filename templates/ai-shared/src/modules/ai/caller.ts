import type { Context } from 'hono';
import { clientNetwork } from '../../lib/client-ip.js';
import type { ScopeEnv } from '../../lib/scope.js';

/**
 * Who is calling, for per-caller limits and usage: without users, the client's address, or its /64
 * for IPv6 (`trustedProxies` as TRUST_PROXY, so X-Forwarded-For cannot be spoofed).
 */
export const callerKey = (c: Context<ScopeEnv>, trustedProxies: number): string =>
  `ip:${clientNetwork(c, trustedProxies)}`;

/** Whether the caller may see everyone's usage: without users, nobody is an admin. */
export const isAdmin = (_c: Context<ScopeEnv>): boolean => false;
