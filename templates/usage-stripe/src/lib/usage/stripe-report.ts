import { createHash } from 'node:crypto';
import { and, asc, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import { billingCustomers } from '../../db/schema/billing-customers.js';
import { usageLedger } from '../../db/schema/usage-ledger.js';
import { usageMeterEvents } from '../../db/schema/usage-meter-events.js';
import type { AppDeps } from '../../deps.js';
import { STRIPE_METERS } from './meters.js';
import { hourOf } from './recorder.js';

const HOUR_MS = 3_600_000;

/**
 * Stripe takes meter events stamped up to 35 days back: hours older than 34 days are left out, so an
 * event made at the edge is never refused on arrival.
 */
const OLDEST_MS = 34 * 86_400_000;

/** Ledger rows read and sent per round. */
const PAGE = 200;

/** Stripe's id of the event for this customer, meter and hour: the same every time, so a resend is a duplicate. */
export const meterEventIdentifier = (customer: string, eventName: string, hour: Date) =>
  `usage_${createHash('sha256').update(`${customer}\n${eventName}\n${hour.toISOString()}`).digest('base64url')}`;

/**
 * Sends Stripe a meter event for each closed hour of billed usage (STRIPE_METERS) of each user with a
 * Stripe customer, once: an hour is sent when it ended long enough ago that no flush still adds to it
 * (3 flush intervals, at least 5 minutes), and recorded in `usage_meter_events`. The event's identifier
 * and idempotency key come from customer, meter and hour, so a run cut off between Stripe's answer and
 * the record sends a duplicate Stripe drops. Stamped at the hour's last second: usage of the hour a
 * subscription starts in is billed to it. A failed send stops the run (the next one carries on).
 */
export const reportUsageToStripe = async (deps: AppDeps, { now = new Date() } = {}) => {
  const settleMs = Math.max(5 * 60_000, 3 * deps.env.USAGE_FLUSH_INTERVAL_MS);
  // Hours that ended at least settleMs ago.
  const closedBefore = hourOf(new Date(now.getTime() - settleMs));
  const oldest = new Date(now.getTime() - OLDEST_MS);
  const metrics = Object.keys(STRIPE_METERS);
  const { client } = await deps.billing.stripe();
  let sent = 0;
  for (;;) {
    const page = await deps.db
      .select({
        userKey: usageLedger.userKey,
        metric: usageLedger.metric,
        hour: usageLedger.hour,
        quantity: usageLedger.quantity,
        customer: billingCustomers.stripeCustomerId,
      })
      .from(usageLedger)
      // Ledger keys are text; a uuid column compares as text on both databases.
      .innerJoin(billingCustomers, eq(usageLedger.userKey, sql`cast(${billingCustomers.userId} as text)`))
      .leftJoin(
        usageMeterEvents,
        and(
          eq(usageMeterEvents.userKey, usageLedger.userKey),
          eq(usageMeterEvents.metric, usageLedger.metric),
          eq(usageMeterEvents.hour, usageLedger.hour),
        ),
      )
      .where(
        and(
          isNull(usageMeterEvents.identifier),
          inArray(usageLedger.metric, metrics),
          gte(usageLedger.hour, oldest),
          lt(usageLedger.hour, closedBefore),
        ),
      )
      .orderBy(asc(usageLedger.hour))
      .limit(PAGE);
    for (const row of page) {
      const eventName = STRIPE_METERS[row.metric] as string;
      const identifier = meterEventIdentifier(row.customer, eventName, row.hour);
      await client.billing.meterEvents.create(
        {
          event_name: eventName,
          identifier,
          timestamp: Math.floor((row.hour.getTime() + HOUR_MS) / 1000) - 1,
          payload: { stripe_customer_id: row.customer, value: String(row.quantity) },
        },
        { idempotencyKey: identifier },
      );
      await deps.db
        .insert(usageMeterEvents)
        .values({
          userKey: row.userKey,
          metric: row.metric,
          hour: row.hour,
          eventName,
          stripeCustomerId: row.customer,
          identifier,
          value: row.quantity,
        })
        .onConflictDoNothing();
      sent++;
    }
    if (page.length < PAGE) break;
  }
  if (sent > 0) deps.logger.info({ sent }, 'usage: meter events sent to Stripe');
  return { sent };
};
