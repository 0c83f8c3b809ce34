import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hello, ledgerRow, post } from '../../../test/ai-client.js';
import { listen, skipReason, useTestApp } from '../../../test/helpers.js';
import { createTestScope } from '../../../test/scope.js';
import { startAiFakes } from '../../../test/upstreams.js';
import { aiUsage } from '../../db/schema/ai-usage.js';
import { budgetKey, periodOf, usdToMicros } from '../../lib/ai/budget.js';
import { emptyUsage } from '../../lib/ai/types.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(skipReason)('AI budgets, usage, rate limit and client disconnects', () => {
  let fakes: Awaited<ReturnType<typeof startAiFakes>>;
  let scope: Awaited<ReturnType<typeof createTestScope>>;
  let caller: Record<string, string>;
  beforeAll(async () => {
    [fakes, scope] = await Promise.all([startAiFakes(), createTestScope()]);
  });
  afterAll(() => Promise.all([fakes.close(), scope.close()]));
  beforeEach(async () => {
    fakes.reset();
    caller = await scope.caller();
  });
  const t = useTestApp(() => ({
    ...scope.env,
    ...fakes.env,
    AI_BUDGET_DAILY_USD: '1',
    AI_BUDGET_MONTHLY_USD: '0',
    AI_RATE_LIMIT_MAX: '25',
  }));
  const limit = usdToMicros(1);

  /** One answered request, and the key the caller's budget and rows are kept under. */
  const firstRequest = async () => {
    const res = await post(t, '/api/v1/ai/chat', hello, caller);
    expect(res.status).toBe(200);
    return {
      userKey: (await ledgerRow(t, res)).userKey,
      costMicros: ((await res.json()) as { costMicros: number }).costMicros,
    };
  };

  /** Spends the caller's daily budget down to `left` micro-dollars. */
  const spendDownTo = async (userKey: string, left: number) => {
    const [day] = await t.deps.ai.budget.usage(userKey);
    const reserved = await t.deps.ai.budget.reserve(userKey, limit - (day?.spentMicros ?? 0) - left);
    if (!reserved.ok) throw new Error('could not spend the budget down');
  };

  it("refuses a request over the caller's budget with 429, the reset time and Retry-After", async () => {
    const { userKey } = await firstRequest();
    await spendDownTo(userKey, 1);
    const res = await post(t, '/api/v1/ai/chat', hello, caller);
    expect(res.status).toBe(429);
    const body = (await res.json()) as { resetAt: string; period: string; detail: string };
    const midnight = new Date();
    midnight.setUTCHours(24, 0, 0, 0);
    expect(body).toMatchObject({ period: 'day', resetAt: midnight.toISOString() });
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(24 * 3600);
  });

  it('lets 20 parallel requests against a nearly spent budget overspend by at most one reservation', async () => {
    const { userKey } = await firstRequest();
    const worstCase = t.deps.ai.router.worstCaseMicros({ ...hello, messages: [...hello.messages] });
    await spendDownTo(userKey, Math.floor(worstCase * 2.5));
    const responses = await Promise.all(Array.from({ length: 20 }, () => post(t, '/api/v1/ai/chat', hello, caller)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    const [day] = await t.deps.ai.budget.usage(userKey);
    expect(day?.spentMicros).toBeLessThanOrEqual(limit + worstCase);
  });

  it('keeps a spent budget when the cache loses its total (eviction, restart): the ledger refills it', async () => {
    const { userKey } = await firstRequest();
    const requestId = `earlier-${Date.now()}`;
    await t.deps.ai.ledger.record({
      requestId,
      userKey,
      provider: fakes.fakes[0]?.provider ?? 'openai',
      model: 'earlier',
      ...emptyUsage(),
      costMicros: limit,
      status: 'completed',
      estimated: false,
      timeToFirstTokenMs: null,
      latencyMs: 1,
    });
    try {
      await t.deps.cache.delete(budgetKey('day', periodOf('day', new Date()).id, userKey));
      const res = await post(t, '/api/v1/ai/chat', hello, caller);
      expect(res.status).toBe(429);
      expect((await t.deps.ai.budget.usage(userKey))[0]?.spentMicros).toBeGreaterThanOrEqual(limit);
    } finally {
      // Without auth every test is the same caller: later tests must not find this day spent.
      await t.deps.db.delete(aiUsage).where(eq(aiUsage.requestId, requestId));
    }
  });

  it('reserves enough for a prompt in any script: CJK text costs about a token per byte, not per 4 characters', async () => {
    const { userKey } = await firstRequest();
    // Rare CJK ideographs: 3 UTF-8 bytes each, which a byte-level tokenizer may bill as 3 tokens.
    const text = Array.from({ length: 40_000 }, (_, i) => String.fromCodePoint(0x3400 + ((i * 7919) % 0x9bf))).join('');
    const cjk = { ...hello, messages: [{ role: 'user' as const, content: text }] };
    const worstCase = t.deps.ai.router.worstCaseMicros(cjk);
    await spendDownTo(userKey, Math.floor(worstCase * 2.5));
    for (const { fake } of fakes.fakes) {
      for (let i = 0; i < 20; i++) fake.script({ inputTokens: Buffer.byteLength(text, 'utf8') });
    }
    const responses = await Promise.all(Array.from({ length: 20 }, () => post(t, '/api/v1/ai/chat', cjk, caller)));
    expect(responses.filter((r) => r.status === 200).length).toBeGreaterThan(0);
    const [day] = await t.deps.ai.budget.usage(userKey);
    expect(day?.spentMicros).toBeLessThanOrEqual(limit + worstCase);
  });

  it("reports the caller's usage, cost and budget for the day and the month", async () => {
    type Report = {
      periods: {
        period: string;
        requests: number;
        costMicros: number;
        budget: { limitMicros: number; usedMicros: number };
      }[];
    } & {
      byUserAndModel?: unknown;
    };
    const report = async () => {
      const res = await t.app.request('/api/v1/ai/usage', { headers: caller });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      return (await res.json()) as Report;
    };
    // Without auth every caller is one (its address), so earlier tests' rows count too: compare.
    const before = await report();
    const { costMicros } = await firstRequest();
    const after = await report();
    expect(after.periods.map((p) => p.period)).toEqual(['day', 'month']);
    for (const [i, period] of after.periods.entries()) {
      expect(period.requests - (before.periods[i]?.requests ?? 0)).toBe(1);
      expect(period.costMicros - (before.periods[i]?.costMicros ?? 0)).toBe(costMicros);
    }
    expect(after.periods[0]?.budget.limitMicros).toBe(limit);
    expect((after.periods[0]?.budget.usedMicros ?? 0) - (before.periods[0]?.budget.usedMicros ?? 0)).toBe(costMicros);
    expect(after.periods[1]?.budget).toEqual({ limitMicros: 0, usedMicros: 0 });
    expect(after.byUserAndModel).toBeUndefined();
  });

  it('limits AI requests per caller on top of the global limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 26; i++) statuses.push((await t.app.request('/api/v1/ai/status', { headers: caller })).status);
    expect(statuses.slice(0, 25).every((s) => s === 200)).toBe(true);
    expect(statuses[25]).toBe(429);
  });

  it('aborts the upstream call within 500 ms when the client disconnects, and charges what was streamed', async () => {
    const [first] = fakes.fakes;
    if (!first) throw new Error('no AI provider');
    first.fake.script({ hangAfter: first.chunksToFirstText });
    const server = await listen(t.app);
    try {
      const client = new AbortController();
      const res = await fetch(`${server.url}/api/v1/ai/chat/stream`, {
        method: 'POST',
        headers: { ...caller, 'content-type': 'application/json' },
        body: JSON.stringify(hello),
        signal: client.signal,
      });
      expect(res.status).toBe(200);
      const reader = res.body?.getReader();
      const decoder = new TextDecoder();
      let received = '';
      while (!received.includes('event: delta')) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) throw new Error('the stream ended before its first delta');
        received += decoder.decode(chunk.value);
      }
      const abortedAt = Date.now();
      client.abort();
      const upstream = first.fake.requests.at(-1);
      while (!upstream?.disconnectedAt && Date.now() - abortedAt < 2_000) await sleep(10);
      expect(upstream?.disconnectedAt).toBeDefined();
      expect((upstream?.disconnectedAt ?? Infinity) - abortedAt).toBeLessThan(500);

      let row: Awaited<ReturnType<typeof ledgerRow>> | undefined;
      while (!row && Date.now() - abortedAt < 2_000) {
        row = await ledgerRow(t, res).catch(() => undefined);
        if (!row) await sleep(10);
      }
      expect(row).toMatchObject({ status: 'aborted' });
      expect(row?.costMicros).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
  });
});
