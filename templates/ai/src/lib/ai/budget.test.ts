import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheUnavailable, createAiTestCache } from '../../../test/ai-cache.js';
import type { Cache } from '../cache.js';
import { budgetKey, createBudget, periodOf } from './budget.js';

/** A ledger with no rows: budgets start from nothing. */
const nothingSpent = async () => 0;

describe('budget periods', () => {
  it('resets at the next UTC midnight and on the first of the next month', () => {
    const now = new Date('2025-12-31T23:30:00Z');
    expect(periodOf('day', now)).toEqual({
      id: '2025-12-31',
      startsAt: new Date('2025-12-31T00:00:00Z'),
      resetAt: new Date('2026-01-01T00:00:00Z'),
    });
    expect(periodOf('month', now)).toEqual({
      id: '2025-12',
      startsAt: new Date('2025-12-01T00:00:00Z'),
      resetAt: new Date('2026-01-01T00:00:00Z'),
    });
  });
});

describe.skipIf(cacheUnavailable)("budgets on this project's cache", () => {
  let service: Awaited<ReturnType<typeof createAiTestCache>>;
  let cache: Cache;
  beforeEach(async () => {
    service = await createAiTestCache();
    cache = await service.connect();
  });
  afterEach(() => service.drop());

  it('reserves, settles with the real cost and releases on error', async () => {
    const budget = createBudget({ cache, dailyUsd: 1, monthlyUsd: 10, spentSince: nothingSpent });
    const first = await budget.reserve('ada', 5_000);
    if (!first.ok) throw new Error('refused');
    await budget.settle(first.reservation, 1_200);
    const second = await budget.reserve('ada', 5_000);
    if (!second.ok) throw new Error('refused');
    await budget.release(second.reservation);
    const usage = await budget.usage('ada');
    expect(usage.map((u) => [u.period, u.spentMicros, u.limitMicros])).toEqual([
      ['day', 1_200, 1_000_000],
      ['month', 1_200, 10_000_000],
    ]);
    expect((await budget.usage('bob'))[0]?.spentMicros).toBe(0);
  });

  it("refuses past a period's limit with its reset time, and gives back what another period held", async () => {
    const budget = createBudget({ cache, dailyUsd: 10, monthlyUsd: 1, spentSince: nothingSpent });
    const now = new Date('2025-06-15T12:00:00Z');
    const refused = await budget.reserve('ada', 1_000_001, now);
    expect(refused).toEqual({
      ok: false,
      period: 'month',
      limitMicros: 1_000_000,
      spentMicros: 0,
      resetAt: new Date('2025-07-01T00:00:00Z'),
    });
    expect((await budget.usage('ada', now)).map((u) => u.spentMicros)).toEqual([0, 0]);
  });

  it('has no limit for a period set to 0', async () => {
    const budget = createBudget({ cache, dailyUsd: 0, monthlyUsd: 0, spentSince: nothingSpent });
    expect((await budget.reserve('ada', 10_000_000_000)).ok).toBe(true);
  });

  it('lets 20 parallel requests against a nearly spent budget overspend by at most one reservation', async () => {
    const limit = 1_000_000;
    const worstCase = 4_000;
    const budget = createBudget({ cache, dailyUsd: 1, monthlyUsd: 0, spentSince: nothingSpent });
    const earlier = await budget.reserve('ada', 990_000);
    if (!earlier.ok) throw new Error('refused');
    await budget.settle(earlier.reservation, 990_000);

    const results = await Promise.all(Array.from({ length: 20 }, () => budget.reserve('ada', worstCase)));
    const granted = results.flatMap((r) => (r.ok ? [r.reservation] : []));
    expect(granted).toHaveLength(2); // 990 000 + 2 × 4 000 fits, a third would not
    for (const refused of results.filter((r) => !r.ok)) expect(refused).toMatchObject({ period: 'day' });
    // A real cost may pass its estimate (the prompt is estimated); the others cost what they reserved.
    const [first, ...rest] = granted;
    if (first) await budget.settle(first, worstCase + 1_000);
    await Promise.all(rest.map((r) => budget.settle(r, worstCase)));
    const [day] = await budget.usage('ada');
    expect(day?.spentMicros).toBeLessThanOrEqual(limit + worstCase);
  });

  it('starts a total the cache lost again from the ledger, seeded once however many requests find it missing', async () => {
    const limit = 1_000_000;
    const asked: Date[] = [];
    // The ledger says 900 000 µ$ were spent today, as after an eviction or a restart.
    const spentSince = async (_user: string, since: Date) => {
      asked.push(since);
      return 900_000;
    };
    const budget = createBudget({ cache, dailyUsd: 1, monthlyUsd: 0, spentSince });
    const now = new Date('2025-06-15T12:00:00Z');
    const results = await Promise.all(Array.from({ length: 20 }, () => budget.reserve('ada', 40_000, now)));
    // 900 000 + 2 × 40 000 fits, a third would not; one seeded twice (1 800 000) would refuse them all.
    const granted = results.filter((r) => r.ok).length;
    expect(granted).toBeGreaterThanOrEqual(1);
    expect(granted).toBeLessThanOrEqual(2);
    expect(asked.every((since) => since.toISOString() === '2025-06-15T00:00:00.000Z')).toBe(true);
    const [day] = await budget.usage('ada', now);
    expect(day?.spentMicros).toBe(900_000 + granted * 40_000);
    expect(day?.spentMicros).toBeLessThanOrEqual(limit);

    // Lost again: the next request finds the ledger's total, not zero.
    await cache.delete(budgetKey('day', periodOf('day', now).id, 'ada'));
    expect(await budget.reserve('ada', 200_000, now)).toMatchObject({ ok: false, spentMicros: 900_000 });
    expect((await budget.usage('ada', now))[0]?.spentMicros).toBe(900_000);
  });
});
