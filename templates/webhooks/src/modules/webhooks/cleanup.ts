import { lt } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { webhookEvents } from '../../db/schema/webhook-events.js';

/**
 * Forgets deliveries received more than `olderThanDays` ago. Providers stop retrying within days
 * (Svix after about 28 hours), so an older record no longer guards against anything.
 */
export const pruneWebhookEvents = async (db: Db, { olderThanDays }: { olderThanDays: number }) => {
  const cutoff = new Date(Date.now() - olderThanDays * 86_400_000);
  const pruned = await db.delete(webhookEvents).where(lt(webhookEvents.receivedAt, cutoff)).returning({
    id: webhookEvents.id,
  });
  return pruned.length;
};
