import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipReason, useTestApp } from '../../../test/helpers.js';
import { createTestScope } from '../../../test/scope.js';

interface Report {
  from: string;
  to: string;
  totals: { metric: string; quantity: number }[];
  daily: { date: string; metric: string; quantity: number }[];
}

describe.skipIf(skipReason)('GET /api/v1/usage', () => {
  let scope: Awaited<ReturnType<typeof createTestScope>>;
  beforeAll(async () => {
    scope = await createTestScope();
  });
  afterAll(() => scope.close());
  const t = useTestApp(() => ({ ...scope.env, USAGE_FLUSH_INTERVAL_MS: '3600000' }));

  it('answers totals per metric and a daily trend, never cached', async () => {
    const caller = await scope.caller();
    for (let i = 0; i < 4; i++) await t.app.request('/api/v1/usage', { headers: caller });
    await t.deps.usage.flush();
    const res = await t.app.request('/api/v1/usage?days=7', { headers: caller });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const report = (await res.json()) as Report;
    const today = new Date().toISOString().slice(0, 10);
    expect(report.from.slice(0, 10)).toBe(new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10));
    expect(report.totals.find((row) => row.metric === 'api.requests')?.quantity).toBeGreaterThanOrEqual(4);
    expect(report.daily.find((row) => row.metric === 'api.requests')?.date).toBe(today);
  });

  it('refuses a window it does not keep', async () => {
    const res = await t.app.request('/api/v1/usage?days=365', { headers: await scope.caller() });
    expect(res.status).toBe(400);
  });
});
