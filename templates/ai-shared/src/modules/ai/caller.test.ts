import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipReason, useTestApp } from '../../../test/helpers.js';
import { startAiFakes } from '../../../test/upstreams.js';

describe.skipIf(skipReason)('AI callers without auth', () => {
  let fakes: Awaited<ReturnType<typeof startAiFakes>>;
  beforeAll(async () => {
    fakes = await startAiFakes();
  });
  afterAll(() => fakes.close());
  const t = useTestApp(() => ({ ...fakes.env, TRUST_PROXY: '1', AI_RATE_LIMIT_MAX: '2' }));

  it('counts the addresses of one IPv6 /64 as one caller, for the AI rate limit and budgets', async () => {
    const status = (ip: string) => t.app.request('/api/v1/ai/status', { headers: { 'X-Forwarded-For': ip } });
    expect((await status('2001:db8:1:2::1')).status).toBe(200);
    expect((await status('2001:db8:1:2::2')).status).toBe(200);
    expect((await status('2001:db8:1:2:ffff::3')).status).toBe(429);
    expect((await status('2001:db8:1:3::1')).status).toBe(200);
  });
});
