import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { users } from '../src/db/schema/users.js';
import { webhookEvents } from '../src/db/schema/webhook-events.js';
import { createTestApp, createTestDatabase } from './helpers.js';

/** A test app on a database of its own, and the two things webhook tests read back. */
export const createWebhookTestApp = async () => {
  const database = await createTestDatabase();
  const t = await createTestApp({}, database);
  return {
    ...t,
    database,
    userRow: async (externalId: string) =>
      (await t.deps.db.select().from(users).where(eq(users.externalId, externalId)))[0],
    /** How many deliveries were applied and recorded. */
    deliveries: async () => (await t.deps.db.select().from(webhookEvents)).length,
    close: async () => {
      await t.close();
      await database.drop();
    },
  };
};

/** Every refusal answers the same 400 problem, and its body names nothing matching `secretWords`. */
export const expectSameRefusal = async (responses: Response[], secretWords: RegExp) => {
  const bodies = await Promise.all(
    responses.map(async (res) => {
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const { requestId: _, ...body } = (await res.json()) as Record<string, unknown>;
      return body;
    }),
  );
  for (const body of bodies) expect(body).toEqual(bodies[0]);
  expect(JSON.stringify(bodies[0])).not.toMatch(secretWords);
};
