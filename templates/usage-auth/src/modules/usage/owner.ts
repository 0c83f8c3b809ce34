import type { Context } from 'hono';
import type { User } from '../../db/schema/users.js';
import type { ScopeEnv } from '../../lib/scope.js';
import { ANONYMOUS } from '../../lib/usage/recorder.js';

/** Whose request it was: the signed-in user, set by the route's requireUser; else nobody's in particular. */
export const requestOwner = (c: Context): string => (c.get('user') as User | undefined)?.id ?? ANONYMOUS;

/** Whose usage GET /usage reports: the signed-in caller's own. */
export const reportOwner = (c: Context<ScopeEnv>): string | undefined => c.get('user').id;

/** Whose usage a caller key of another module's ledger is (the AI gateway's): the user it names. */
export const keyOwner = (userKey: string): string => userKey;
