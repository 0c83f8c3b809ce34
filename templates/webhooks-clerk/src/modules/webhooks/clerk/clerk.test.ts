import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, skipReason } from '../../../../test/helpers.js';
import { svixHeaders } from '../../../../test/svix.js';
import { createWebhookTestApp, expectSameRefusal } from '../../../../test/webhooks.js';
import { users } from '../../../db/schema/users.js';
import { EnvError } from '../../../env.js';

/** A Clerk user event, shaped like Clerk's payload (the fields that matter here). */
const userEvent = (type: string, id: string, fields: Record<string, unknown> = {}) => ({
  object: 'event',
  type,
  data: {
    object: 'user',
    id,
    first_name: 'Ada',
    last_name: 'Lovelace',
    image_url: `https://img.clerk.test/${id}`,
    primary_email_address_id: 'idn_primary',
    email_addresses: [
      { id: 'idn_other', email_address: `old-${id}@example.com` },
      { id: 'idn_primary', email_address: `${id}@example.com` },
    ],
    ...fields,
  },
});
const deletedEvent = (id: string) => ({
  object: 'event',
  type: 'user.deleted',
  data: { object: 'user', id, deleted: true },
});

describe.skipIf(skipReason)('POST /webhooks/clerk', () => {
  let t: Awaited<ReturnType<typeof createWebhookTestApp>>;
  let sequence = 0;
  beforeAll(async () => {
    t = await createWebhookTestApp();
  });
  afterAll(() => t.close());

  /** Sends `payload` signed as Clerk would; `headers` replace the signed ones. */
  const deliver = (payload: unknown, options: { id?: string; ageSeconds?: number; headers?: object } = {}) => {
    const body = JSON.stringify(payload);
    const id = options.id ?? `msg_${++sequence}`;
    const signed = svixHeaders(t.deps.env.CLERK_WEBHOOK_SECRET, id, body, options.ageSeconds);
    return t.app.request('/webhooks/clerk', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signed, ...options.headers },
      body,
    });
  };

  it('creates, refreshes and deactivates the user', async () => {
    const created = await deliver(userEvent('user.created', 'user_1'));
    expect(created.status).toBe(200);
    expect(await created.json()).toEqual({ outcome: 'applied' });
    expect(await t.userRow('user_1')).toMatchObject({
      email: 'user_1@example.com',
      name: 'Ada Lovelace',
      avatarUrl: 'https://img.clerk.test/user_1',
      role: 'user',
      active: true,
    });

    const updated = userEvent('user.updated', 'user_1', { first_name: 'Augusta', image_url: 'http://plain.test/a' });
    expect((await deliver(updated)).status).toBe(200);
    expect(await t.userRow('user_1')).toMatchObject({ name: 'Augusta Lovelace', avatarUrl: null });

    expect((await deliver(deletedEvent('user_1'))).status).toBe(200);
    expect(await t.userRow('user_1')).toMatchObject({ active: false, email: null, name: null, avatarUrl: null });
  });

  it('keeps role and active, which are decided here', async () => {
    await deliver(userEvent('user.created', 'user_2'));
    await t.deps.db.update(users).set({ role: 'admin', active: false }).where(eq(users.externalId, 'user_2'));
    await deliver(userEvent('user.updated', 'user_2', { first_name: 'Grace' }));
    expect(await t.userRow('user_2')).toMatchObject({ name: 'Grace Lovelace', role: 'admin', active: false });
  });

  it('keeps no name longer than PATCH /me allows', async () => {
    const long = userEvent('user.created', 'user_7', { first_name: 'n'.repeat(60), last_name: 'm'.repeat(60) });
    expect((await deliver(long)).status).toBe(200);
    expect(await t.userRow('user_7')).toMatchObject({ name: null, email: 'user_7@example.com' });
  });

  it('refuses a bad, missing or foreign signature with the same answer, changing nothing', async () => {
    const before = await t.deliveries();
    const payload = userEvent('user.created', 'intruder');
    const foreign = svixHeaders('whsec_c29tZW9uZS1lbHNlcy1zZWNyZXQtMjQtYnl0ZXM', 'msg_x', JSON.stringify(payload));
    const attempts = [
      await deliver(payload, { headers: { 'svix-signature': 'v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' } }),
      await deliver(payload, { headers: { 'svix-signature': '' } }),
      await deliver(payload, { headers: foreign }),
      await t.app.request('/webhooks/clerk', { method: 'POST', body: JSON.stringify(payload) }),
    ];
    await expectSameRefusal(attempts, /signature|timestamp|svix/i);
    expect(await t.userRow('intruder')).toBeUndefined();
    expect(await t.deliveries()).toBe(before);
  });

  it('refuses a delivery signed more than 5 minutes ago', async () => {
    const stale = await deliver(userEvent('user.created', 'user_3'), { ageSeconds: 6 * 60 });
    expect(stale.status).toBe(400);
    expect(await t.userRow('user_3')).toBeUndefined();
    expect((await deliver(userEvent('user.created', 'user_3'), { ageSeconds: 4 * 60 })).status).toBe(200);
  });

  it('applies a replayed delivery once', async () => {
    const payload = userEvent('user.created', 'user_4');
    expect(await (await deliver(payload, { id: 'msg_replayed' })).json()).toEqual({ outcome: 'applied' });
    // A change made since: a second application would overwrite it.
    await t.deps.db.update(users).set({ name: 'Edited here' }).where(eq(users.externalId, 'user_4'));
    const replay = await deliver(payload, { id: 'msg_replayed' });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ outcome: 'duplicate' });
    expect(await t.userRow('user_4')).toMatchObject({ name: 'Edited here' });
  });

  it('applies 20 concurrent copies of a delivery exactly once', async () => {
    const before = await t.deliveries();
    const payload = userEvent('user.created', 'user_5');
    const responses = await Promise.all(Array.from({ length: 20 }, () => deliver(payload, { id: 'msg_burst' })));
    const outcomes = await Promise.all(responses.map(async (r) => ((await r.json()) as { outcome: string }).outcome));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(outcomes.filter((o) => o === 'applied')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(19);
    expect(await t.deliveries()).toBe(before + 1);
  });

  it('answers other event types without recording them', async () => {
    const before = await t.deliveries();
    const res = await deliver({ object: 'event', type: 'session.created', data: { id: 'sess_1' } });
    expect(await res.json()).toEqual({ outcome: 'ignored' });
    expect(await t.deliveries()).toBe(before);
  });

  it('refuses a verified but malformed user event, and bodies over 256 KiB', async () => {
    expect((await deliver({ type: 'user.created', data: { first_name: 'no id' } })).status).toBe(400);
    const huge = userEvent('user.created', 'user_6', { public_metadata: { blob: 'x'.repeat(300 * 1024) } });
    expect((await deliver(huge)).status).toBe(413);
    expect(await t.userRow('user_6')).toBeUndefined();
  });

  it('refuses to boot without CLERK_WEBHOOK_SECRET, or with one that is not whsec_', async () => {
    const boot = (value: string) => createTestApp({ CLERK_WEBHOOK_SECRET: value }, t.database);
    await expect(boot('')).rejects.toThrow(EnvError);
    await expect(boot('')).rejects.toThrow(/CLERK_WEBHOOK_SECRET: required, not set/);
    await expect(boot('sk_live_not_a_webhook_secret')).rejects.toThrow(/CLERK_WEBHOOK_SECRET: must be whsec_<base64>/);
  });
});
