import { randomUUID } from 'node:crypto';
import type { Db } from '../src/db/client.js';
import { users } from '../src/db/schema/users.js';
import { createTestAuth } from './auth.js';

/**
 * Callers of scoped routes: each `caller()` is a new signed-in user, whose headers carry their token.
 * `env` points the app at the local issuer; `close` stops it.
 */
export const createTestScope = async () => {
  const auth = await createTestAuth();
  let users = 0;
  return {
    env: auth.env,
    caller: async (): Promise<Record<string, string>> => ({
      authorization: `Bearer ${await auth.token(`user-${++users}`)}`,
    }),
    close: () => auth.close(),
  };
};

/** The owner of a row a test inserts straight into the database: a new user. */
export const rowOwner = async (db: Db) => {
  const [user] = await db.insert(users).values({ externalId: randomUUID() }).returning();
  return { ownerId: user?.id ?? '' };
};
