import type { Db } from '../src/db/client.js';

/** Callers of shared routes: without authentication every caller is the same anonymous one. */
export const createTestScope = async () => ({
  env: {},
  caller: async (): Promise<Record<string, string>> => ({}),
  close: async () => {},
});

/** The owner of a row a test inserts straight into the database: nobody, rows have no owner. */
export const rowOwner = async (_db: Db): Promise<Record<string, never>> => ({});
