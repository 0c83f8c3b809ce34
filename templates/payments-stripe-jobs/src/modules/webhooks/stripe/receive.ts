import { and, eq } from 'drizzle-orm';
import { webhookEvents } from '../../../db/schema/webhook-events.js';
import type { AppDeps } from '../../../deps.js';
import type { StripeEventRef } from './events.js';

/**
 * Queues a verified delivery and answers Stripe at once; the worker applies it and records it in the
 * inbox in the same transaction (src/jobs/stripe-event.ts). So the inbox row means "applied": only then
 * does a delivery answer `duplicate`. Until then every delivery queues it again, which is safe: the job
 * id is the event id, so BullMQ holds one job per event, and a job that ran out of attempts (a Stripe
 * outage longer than its backoff) is put back with fresh ones. A delivery whose queueing fails, or never
 * answers (Redis hung, the process died), is retried by Stripe and queued then.
 */
export const receiveStripeEvent = async ({ db, jobs }: AppDeps, ref: StripeEventRef) => {
  const [applied] = await db
    .select({ id: webhookEvents.id })
    .from(webhookEvents)
    .where(and(eq(webhookEvents.provider, 'stripe'), eq(webhookEvents.eventId, ref.id)));
  if (applied) return 'duplicate' as const;
  await jobs.enqueue('stripe-event', ref, { jobId: ref.id });
  await jobs.retry(ref.id);
  return 'queued' as const;
};
