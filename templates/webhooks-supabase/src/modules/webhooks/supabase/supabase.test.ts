import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, skipReason } from '../../../../test/helpers.js';
import { createWebhookTestApp, expectSameRefusal } from '../../../../test/webhooks.js';
import { users } from '../../../db/schema/users.js';
import { EnvError } from '../../../env.js';
import { SECRET_HEADER } from './index.js';

/** An auth.users row as Supabase sends it (the fields that matter here). */
const authUser = (id: string, fields: Record<string, unknown> = {}) => ({
  id,
  email: `${id}@example.com`,
  raw_user_meta_data: { full_name: `User ${id}`, avatar_url: `https://cdn.test/${id}.png` },
  updated_at: '2026-01-01T00:00:00.000Z',
  deleted_at: null,
  ...fields,
});
const change = (type: string, record: object | null, old: object | null) => ({
  type,
  table: 'users',
  schema: 'auth',
  record,
  old_record: old,
});
const insert = (record: object) => change('INSERT', record, null);
const update = (record: object, old: object) => change('UPDATE', record, old);
const remove = (old: object) => change('DELETE', null, old);

describe.skipIf(skipReason)('POST /webhooks/supabase', () => {
  let t: Awaited<ReturnType<typeof createWebhookTestApp>>;
  beforeAll(async () => {
    t = await createWebhookTestApp();
  });
  afterAll(() => t.close());

  const deliver = (payload: unknown, secret: string | null = t.deps.env.SUPABASE_WEBHOOK_SECRET) =>
    t.app.request('/webhooks/supabase', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secret === null ? {} : { [SECRET_HEADER]: secret }) },
      body: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });

  it('creates, refreshes and deactivates the user', async () => {
    const created = await deliver(insert(authUser('u-1')));
    expect(created.status).toBe(200);
    expect(await created.json()).toEqual({ outcome: 'applied' });
    expect(await t.userRow('u-1')).toMatchObject({
      email: 'u-1@example.com',
      name: 'User u-1',
      avatarUrl: 'https://cdn.test/u-1.png',
      active: true,
    });

    const renamed = authUser('u-1', {
      raw_user_meta_data: { name: 'Renamed', picture: 'javascript:alert(1)' },
      updated_at: '2026-01-02T00:00:00.000Z',
    });
    expect((await deliver(update(renamed, authUser('u-1')))).status).toBe(200);
    expect(await t.userRow('u-1')).toMatchObject({ name: 'Renamed', avatarUrl: null, active: true });

    expect((await deliver(remove(renamed))).status).toBe(200);
    expect(await t.userRow('u-1')).toMatchObject({ active: false, email: null, name: null, avatarUrl: null });
  });

  it('deactivates a soft-deleted user', async () => {
    await deliver(insert(authUser('u-2')));
    const deleted = authUser('u-2', { deleted_at: '2026-01-03T00:00:00.000Z' });
    expect((await deliver(update(deleted, authUser('u-2')))).status).toBe(200);
    expect(await t.userRow('u-2')).toMatchObject({ active: false });
  });

  it('keeps no name longer than PATCH /me allows: user metadata is written by the user', async () => {
    const named = (id: string, length: number) =>
      authUser(id, { raw_user_meta_data: { full_name: 'n'.repeat(length), avatar_url: 'https://cdn.test/a.png' } });
    expect((await deliver(insert(named('u-7', 100)))).status).toBe(200);
    expect(await t.userRow('u-7')).toMatchObject({ name: 'n'.repeat(100) });
    expect((await deliver(insert(named('u-8', 101)))).status).toBe(200);
    expect(await t.userRow('u-8')).toMatchObject({ name: null, avatarUrl: 'https://cdn.test/a.png', active: true });
  });

  it('refuses a missing or wrong secret with the same answer, changing nothing', async () => {
    const before = await t.deliveries();
    const payload = insert(authUser('intruder'));
    const attempts = [
      await deliver(payload, null),
      await deliver(payload, 'wrong'),
      await deliver(payload, `${t.deps.env.SUPABASE_WEBHOOK_SECRET}x`),
    ];
    await expectSameRefusal(attempts, /secret|x-webhook/i);
    expect(await t.userRow('intruder')).toBeUndefined();
    expect(await t.deliveries()).toBe(before);
  });

  it('refuses payloads that are not a change to auth.users', async () => {
    const other = { ...insert(authUser('u-3')), schema: 'public', table: 'profiles' };
    expect((await deliver(other)).status).toBe(400);
    expect((await deliver('not json')).status).toBe(400);
    expect(await t.userRow('u-3')).toBeUndefined();
  });

  it('applies a replayed delivery once', async () => {
    const payload = insert(authUser('u-4'));
    expect(await (await deliver(payload)).json()).toEqual({ outcome: 'applied' });
    // A change made since: a second application would overwrite it.
    await t.deps.db.update(users).set({ name: 'Edited here' }).where(eq(users.externalId, 'u-4'));
    const replay = await deliver(payload);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ outcome: 'duplicate' });
    expect(await t.userRow('u-4')).toMatchObject({ name: 'Edited here' });
  });

  it('applies 20 concurrent copies of a delivery exactly once', async () => {
    const before = await t.deliveries();
    const responses = await Promise.all(Array.from({ length: 20 }, () => deliver(insert(authUser('u-5')))));
    const outcomes = await Promise.all(responses.map(async (r) => ((await r.json()) as { outcome: string }).outcome));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(outcomes.filter((o) => o === 'applied')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(19);
    expect(await t.deliveries()).toBe(before + 1);
    expect(await t.deps.db.select().from(users).where(eq(users.externalId, 'u-5'))).toHaveLength(1);
  });

  it('refuses bodies over 256 KiB', async () => {
    const huge = insert(authUser('u-6', { padding: 'x'.repeat(300 * 1024) }));
    expect((await deliver(huge)).status).toBe(413);
  });

  it('refuses to boot without SUPABASE_WEBHOOK_SECRET, or with a short one', async () => {
    const boot = (value: string) => createTestApp({ SUPABASE_WEBHOOK_SECRET: value }, t.database);
    await expect(boot('')).rejects.toThrow(EnvError);
    await expect(boot('')).rejects.toThrow(/SUPABASE_WEBHOOK_SECRET: required, not set/);
    await expect(boot('short')).rejects.toThrow(/SUPABASE_WEBHOOK_SECRET: must be at least 32 characters/);
  });
});
