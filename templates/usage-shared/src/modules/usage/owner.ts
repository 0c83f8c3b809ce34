import type { Context } from 'hono';
import { ANONYMOUS } from '../../lib/usage/recorder.js';

/** Whose request it was: without users, nobody's in particular. */
export const requestOwner = (_c: Context): string => ANONYMOUS;

/** Whose usage GET /usage reports: without users there is no one's own, so everyone's totals. */
export const reportOwner = (_c: Context): string | undefined => undefined;

/** Whose usage a caller key of another module's ledger is (the AI gateway's, a client address): nobody's in particular. */
export const keyOwner = (_userKey: string): string => ANONYMOUS;
