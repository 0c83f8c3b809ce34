import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hello, ledgerRow, post } from '../../../test/ai-client.js';
import { skipReason, useTestApp } from '../../../test/helpers.js';
import { createTestScope } from '../../../test/scope.js';
import { startAiFakes } from '../../../test/upstreams.js';
import { users } from '../../db/schema/users.js';

describe.skipIf(skipReason)('AI endpoints with users', () => {
  let fakes: Awaited<ReturnType<typeof startAiFakes>>;
  let scope: Awaited<ReturnType<typeof createTestScope>>;
  beforeAll(async () => {
    [fakes, scope] = await Promise.all([startAiFakes(), createTestScope()]);
  });
  afterAll(() => Promise.all([fakes.close(), scope.close()]));
  const t = useTestApp(() => ({ ...scope.env, ...fakes.env }));

  it('needs a signed-in user on every AI route', async () => {
    const routes = [
      t.app.request('/api/v1/ai/status'),
      t.app.request('/api/v1/ai/usage'),
      post(t, '/api/v1/ai/chat', hello),
      post(t, '/api/v1/ai/chat/stream', hello),
      post(t, '/api/v1/ai/summarize', { text: 'Hi' }),
    ];
    for (const res of await Promise.all(routes)) expect(res.status).toBe(401);
    expect(fakes.fakes.flatMap((f) => f.fake.requests)).toEqual([]);
  });

  it("gives each user their own usage, and admins everyone's totals per user and model", async () => {
    const [ada, bob] = await Promise.all([scope.caller(), scope.caller()]);
    const adaRow = await ledgerRow(t, await post(t, '/api/v1/ai/chat', hello, ada));
    const bobRow = await ledgerRow(t, await post(t, '/api/v1/ai/chat', hello, bob));
    const usage = async (headers: Record<string, string>) =>
      (await (await t.app.request('/api/v1/ai/usage', { headers })).json()) as {
        periods: { requests: number }[];
        byUserAndModel?: { period: string; userKey: string; model: string; requests: number }[];
      };

    const own = await usage(bob);
    expect(own.periods[0]?.requests).toBe(1);
    expect(own.byUserAndModel).toBeUndefined();

    await t.deps.db.update(users).set({ role: 'admin' }).where(eq(users.id, bobRow.userKey));
    const admin = await usage(bob);
    const today = admin.byUserAndModel?.filter((row) => row.period === 'day') ?? [];
    expect(today.map((row) => row.userKey).sort()).toEqual([adaRow.userKey, bobRow.userKey].sort());
    expect(today.every((row) => row.requests === 1 && row.model === adaRow.model)).toBe(true);
  });
});
