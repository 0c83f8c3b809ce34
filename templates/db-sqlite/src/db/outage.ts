import { errorChain, errorCode } from '../lib/outage.js';
import type { Db } from './client.js';

/**
 * SQLite result codes (extended codes start the same) of a database that cannot be used right now: locked
 * by another process for longer than busy_timeout, disk I/O errors, a file that cannot be opened, a full disk.
 */
const UNAVAILABLE = /^SQLITE_(BUSY|IOERR|CANTOPEN|FULL)/;

/** Whether `err` says the database cannot be used right now, rather than that the query is wrong. */
export const isDbUnavailable = (err: unknown): boolean => errorChain(err).some((e) => UNAVAILABLE.test(errorCode(e)));

/**
 * Passes once a write could start: takes the write lock and lets it go. A busy database fails at once
 * instead of blocking the event loop for busy_timeout.
 */
export const probeDb = async (db: Db): Promise<void> => {
  const sqlite = db.$client;
  const busyTimeout = sqlite.pragma('busy_timeout', { simple: true });
  sqlite.pragma('busy_timeout = 0');
  try {
    sqlite.exec('begin immediate; rollback');
  } finally {
    sqlite.pragma(`busy_timeout = ${busyTimeout}`);
  }
};
