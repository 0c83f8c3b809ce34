import { errorChain, errorCode } from '../lib/outage.js';
import { type Db, pingDb } from './client.js';

/** Socket errors on the way to the server: it is down, restarting or out of reach. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/**
 * SQLSTATEs of a server that cannot take queries now: class 08 (connection exception), 57P01-57P03 (shut
 * down by an administrator, crashed, still starting up) and 53300 (too many connections).
 */
const isUnavailableState = (code: string) =>
  code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code);

/** What pg says, without a code, when a connection drops mid-query or none can be had in time. */
const DROPPED =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/** Whether `err` says the database cannot be reached right now, rather than that the query is wrong. */
export const isDbUnavailable = (err: unknown): boolean =>
  errorChain(err).some((e) => {
    const code = errorCode(e);
    return NETWORK_CODES.has(code) || isUnavailableState(code) || DROPPED.test(e.message);
  });

/** Passes once the server answers again. */
export const probeDb = (db: Db): Promise<void> => pingDb(db);
