import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface MeterEvent {
  identifier: string;
  event_name: string;
  timestamp: number;
  payload: Record<string, string>;
}

/**
 * Stripe's POST /v1/billing/meter_events for the real SDK: form-encoded events, the API key checked,
 * and an event whose identifier Stripe already has accepted again without counting twice, as Stripe
 * does. `loseReplies(n)` takes the next n events in and then drops the connection, as a network that
 * loses Stripe's answer would. `billed` is what Stripe would charge for.
 */
export const startFakeStripeMeters = async () => {
  const events = new Map<string, MeterEvent>();
  const attempts: { identifier: string; idempotencyKey: string | undefined }[] = [];
  let lostReplies = 0;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      if (!req.headers.authorization?.startsWith('Bearer sk_test_')) {
        return send(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
      }
      if (req.method !== 'POST' || req.url !== '/v1/billing/meter_events') {
        return send(404, {
          error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.url})` },
        });
      }
      const form = new URLSearchParams(body);
      const payload: Record<string, string> = {};
      for (const [key, value] of form) {
        const field = /^payload\[(.+)\]$/.exec(key)?.[1];
        if (field) payload[field] = value;
      }
      const event: MeterEvent = {
        identifier: form.get('identifier') ?? `fake_${events.size + 1}`,
        event_name: form.get('event_name') ?? '',
        timestamp: Number(form.get('timestamp') ?? Math.floor(Date.now() / 1000)),
        payload,
      };
      attempts.push({ identifier: event.identifier, idempotencyKey: req.headers['idempotency-key'] as string });
      const ageDays = (Date.now() / 1000 - event.timestamp) / 86_400;
      if (ageDays > 35 || ageDays < -300 / 86_400) {
        return send(400, { error: { type: 'invalid_request_error', message: 'Timestamp outside the window' } });
      }
      if (!events.has(event.identifier)) events.set(event.identifier, event);
      if (lostReplies > 0) {
        lostReplies--;
        return res.destroy();
      }
      send(200, { object: 'billing.meter_event', created: Math.floor(Date.now() / 1000), livemode: false, ...event });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    env: { STRIPE_API_HOST: '127.0.0.1', STRIPE_API_PORT: String(port), STRIPE_API_PROTOCOL: 'http' },
    events,
    attempts,
    loseReplies: (n: number) => {
      lostReplies = n;
    },
    /** The sum Stripe would bill `customer` on the meter `eventName`: each identifier counted once. */
    billed: (customer: string, eventName: string) =>
      [...events.values()]
        .filter((e) => e.payload.stripe_customer_id === customer && e.event_name === eventName)
        .reduce((sum, e) => sum + Number(e.payload.value), 0),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
