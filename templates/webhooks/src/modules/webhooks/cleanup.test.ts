import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, skipReason } from '../../../test/helpers.js';
import { webhookEvents } from '../../db/schema/webhook-events.js';
import { pruneWebhookEvents } from './cleanup.js';

describe.skipIf(skipReason)('pruneWebhookEvents', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('forgets deliveries older than the cutoff and keeps the rest', async () => {
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
    await t.deps.db.insert(webhookEvents).values([
      { provider: 'test', eventId: 'old', type: 'user.created', receivedAt: daysAgo(31) },
      { provider: 'test', eventId: 'recent', type: 'user.created', receivedAt: daysAgo(29) },
    ]);
    expect(await pruneWebhookEvents(t.deps.db, { olderThanDays: 30 })).toBe(1);
    const left = await t.deps.db.select({ eventId: webhookEvents.eventId }).from(webhookEvents);
    expect(left).toEqual([{ eventId: 'recent' }]);
  });
});
