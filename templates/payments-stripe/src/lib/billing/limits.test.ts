import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillingTest } from '../../../test/billing.js';
import { skipReason } from '../../../test/helpers.js';
import { createLimits } from './limits.js';
import { LIMITS } from './plans.js';

describe.skipIf(skipReason)('plan limit counters', () => {
  let b: Awaited<ReturnType<typeof createBillingTest>>;
  beforeAll(async () => {
    b = await createBillingTest();
  });
  afterAll(() => b.close());

  const userId = async () => {
    const res = await b.api('GET', '/me', await b.caller());
    return ((await res.json()) as { id: string }).id;
  };

  it('lets 20 parallel takes through only up to the limit of the plan, naming the plan that allows more', async () => {
    const limits = createLimits(b.t.deps.db);
    const id = await userId();
    const results = await Promise.all(Array.from({ length: 20 }, () => limits.take(id, 'projects', 1)));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(results.find((r) => !r.ok)).toEqual({
      ok: false,
      limit: 'projects',
      plan: 'free',
      allowed: 3,
      used: 3,
      upgrade: 'pro',
    });
    expect(await limits.used(id, 'projects')).toBe(3);
  });

  it('starts a counter at what the user already has, and never gives back below 0', async () => {
    const limits = createLimits(b.t.deps.db);
    const id = await userId();
    expect(await limits.take(id, 'projects', 1, async () => 2)).toEqual({ ok: true });
    expect(await limits.take(id, 'projects', 1, async () => 2)).toMatchObject({ ok: false, used: 3 });
    await limits.give(id, 'projects', 5);
    expect(await limits.used(id, 'projects')).toBe(0);
  });

  it('keeps counting but refuses nothing when limits are off', async () => {
    const limits = createLimits(b.t.deps.db, { enforce: false });
    const id = await userId();
    for (let i = 0; i < 5; i++) expect(await limits.take(id, 'projects', 1)).toEqual({ ok: true });
    expect(await limits.used(id, 'projects')).toBe(5);
    expect(await createLimits(b.t.deps.db).take(id, 'projects', 1)).toMatchObject({ ok: false, used: 5 });
  });

  it('starts a monthly counter again at 0 each UTC month', async () => {
    let now = new Date('2030-01-31T23:59:00Z');
    const limits = createLimits(b.t.deps.db, { now: () => now });
    const id = await userId();
    LIMITS.projects.period = 'month';
    try {
      expect(await limits.take(id, 'projects', 3)).toEqual({ ok: true });
      expect(await limits.take(id, 'projects', 1)).toMatchObject({ ok: false });
      now = new Date('2030-02-01T00:00:00Z');
      expect(await limits.used(id, 'projects')).toBe(0);
      expect(await limits.take(id, 'projects', 3)).toEqual({ ok: true });
    } finally {
      LIMITS.projects.period = 'all';
    }
  });
});
