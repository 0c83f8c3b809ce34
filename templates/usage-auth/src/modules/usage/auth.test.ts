import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipReason, useTestApp } from '../../../test/helpers.js';
import { createTestScope } from '../../../test/scope.js';
import { users } from '../../db/schema/users.js';

interface Totals {
  byMetric: { metric: string; quantity: number; users: number }[];
  topUsers: { metric: string; users: { userKey: string; quantity: number }[] };
}

describe.skipIf(skipReason)('usage with users', () => {
  let scope: Awaited<ReturnType<typeof createTestScope>>;
  beforeAll(async () => {
    scope = await createTestScope();
  });
  afterAll(() => scope.close());
  const t = useTestApp(() => ({ ...scope.env, USAGE_FLUSH_INTERVAL_MS: '3600000' }));

  const signIn = async () => {
    const headers = await scope.caller();
    const me = (await (await t.app.request('/api/v1/me', { headers })).json()) as { id: string };
    return { headers, id: me.id };
  };
  const requests = async (headers: Record<string, string>, n: number) => {
    for (let i = 0; i < n; i++) await t.app.request('/api/v1/projects', { headers });
  };

  it('needs a signed-in user, and counts unsigned requests for nobody in particular', async () => {
    expect((await t.app.request('/api/v1/usage')).status).toBe(401);
    await t.deps.usage.flush();
    const admin = await signIn();
    await t.deps.db.update(users).set({ role: 'admin' }).where(eq(users.id, admin.id));
    const totals = (await (await t.app.request('/api/v1/admin/usage', { headers: admin.headers })).json()) as Totals;
    expect(totals.topUsers.users).toContainEqual({ userKey: 'anonymous', quantity: 1 });
  });

  it("answers each user their own usage, not another's", async () => {
    const [ada, bob] = [await signIn(), await signIn()];
    await requests(ada.headers, 3);
    await requests(bob.headers, 1);
    t.deps.usage.record(bob.id, 'storage.bytes', 2048);
    await t.deps.usage.flush();
    const own = async (headers: Record<string, string>) =>
      ((await (await t.app.request('/api/v1/usage', { headers })).json()) as { totals: unknown[] }).totals;
    // Each total counts the /me request that signed the user in.
    expect(await own(ada.headers)).toEqual([{ metric: 'api.requests', quantity: 4 }]);
    expect(await own(bob.headers)).toEqual([
      { metric: 'api.requests', quantity: 2 },
      { metric: 'storage.bytes', quantity: 2048 },
    ]);
  });

  it("gives administrators everyone's totals per metric and the top users, and nobody else", async () => {
    const [ada, bob, carol] = [await signIn(), await signIn(), await signIn()];
    // More than any user of the tests before.
    await requests(ada.headers, 10);
    await requests(bob.headers, 7);
    t.deps.usage.record(carol.id, 'ai.tokens', 900);
    expect((await t.app.request('/api/v1/admin/usage', { headers: ada.headers })).status).toBe(403);
    await t.deps.db.update(users).set({ role: 'admin' }).where(eq(users.id, carol.id));
    await t.deps.usage.flush();

    const res = await t.app.request('/api/v1/admin/usage?limit=2', { headers: carol.headers });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const totals = (await res.json()) as Totals;
    expect(totals.byMetric).toContainEqual({ metric: 'ai.tokens', quantity: 900, users: 1 });
    // Refused requests count too: ada's 403 above is one of her 12.
    expect(totals.topUsers).toEqual({
      metric: 'api.requests',
      users: [
        { userKey: ada.id, quantity: 12 },
        { userKey: bob.id, quantity: 8 },
      ],
    });
    const tokens = (await (
      await t.app.request('/api/v1/admin/usage?metric=ai.tokens', { headers: carol.headers })
    ).json()) as Totals;
    expect(tokens.topUsers.users).toEqual([{ userKey: carol.id, quantity: 900 }]);
  });
});
