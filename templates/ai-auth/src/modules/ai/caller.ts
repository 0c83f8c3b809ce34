import type { Context } from 'hono';
import type { ScopeEnv } from '../../lib/scope.js';

/** Who is calling, for per-user limits and usage: the signed-in user (`trustedProxies` is not needed). */
export const callerKey = (c: Context<ScopeEnv>, _trustedProxies: number): string => c.get('user').id;

/** Whether the caller may see everyone's usage: an admin. */
export const isAdmin = (c: Context<ScopeEnv>): boolean => c.get('user').role === 'admin';
