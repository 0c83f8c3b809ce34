import { describe, expect, it } from 'vitest';
import { skipReason, useTestApp } from '../../../test/helpers.js';

describe.skipIf(skipReason)('usage without users', () => {
  const t = useTestApp(() => ({ USAGE_FLUSH_INTERVAL_MS: '3600000' }));

  it('answers every caller the totals of all of them, and has no admin view', async () => {
    for (let i = 0; i < 3; i++) await t.app.request('/api/v1/projects');
    t.deps.usage.record('ip:192.0.2.1', 'ai.tokens', 120);
    t.deps.usage.record('ip:198.51.100.7', 'ai.tokens', 30);
    await t.deps.usage.flush();
    const report = (await (await t.app.request('/api/v1/usage')).json()) as { totals: unknown[] };
    expect(report.totals).toEqual([
      { metric: 'ai.tokens', quantity: 150 },
      { metric: 'api.requests', quantity: 3 },
    ]);
    expect((await t.app.request('/api/v1/admin/usage')).status).toBe(404);
  });
});
