import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillingTest } from '../../../test/billing.js';
import { skipReason } from '../../../test/helpers.js';
import { aiUsage } from '../../db/schema/ai-usage.js';

describe.skipIf(skipReason)('the AI tokens limit of a plan', () => {
  let b: Awaited<ReturnType<typeof createBillingTest>>;
  beforeAll(async () => {
    b = await createBillingTest();
  });
  afterAll(() => b.close());

  /** A signed-in user, their id, and a chat request with an empty body: 400 once past the limit check. */
  const user = async () => {
    const headers = await b.caller();
    const me = (await (await b.api('GET', '/me', headers)).json()) as { id: string };
    return { headers, id: me.id, chat: () => b.api('POST', '/ai/chat', headers, {}) };
  };

  const spend = (userKey: string, tokens: { inputTokens: number; outputTokens: number }, createdAt = new Date()) =>
    b.t.deps.db.insert(aiUsage).values({
      requestId: randomUUID(),
      userKey,
      provider: 'test',
      model: 'test',
      status: 'completed',
      latencyMs: 1,
      createdAt,
      ...tokens,
    });

  it('refuses AI requests with 402 naming pro once the month’s tokens reach the free limit', async () => {
    const u = await user();
    expect((await u.chat()).status).toBe(400);
    await spend(u.id, { inputTokens: 60_000, outputTokens: 39_999 });
    expect((await u.chat()).status).toBe(400);

    await spend(u.id, { inputTokens: 0, outputTokens: 1 });
    const refused = await u.chat();
    expect(refused.status).toBe(402);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(await refused.json()).toMatchObject({
      plan: 'pro',
      limit: 'aiTokens',
      allowed: 100_000,
      detail: 'The Free plan allows 100,000 AI tokens a month; Pro allows more',
    });
    // Reading status and usage is never limited.
    expect((await b.api('GET', '/ai/usage', u.headers)).status).toBe(200);
  });

  it('counts only this UTC month and only the user’s own tokens', async () => {
    const u = await user();
    const lastMonth = new Date();
    lastMonth.setUTCDate(0);
    await spend(u.id, { inputTokens: 500_000, outputTokens: 0 }, lastMonth);
    await spend(randomUUID(), { inputTokens: 500_000, outputTokens: 0 });
    expect((await u.chat()).status).toBe(400);
  });

  it('lets a pro user on as soon as the webhook arrives', async () => {
    const u = await user();
    await spend(u.id, { inputTokens: 200_000, outputTokens: 0 });
    expect((await u.chat()).status).toBe(402);
    const { events } = await b.checkout(u.headers);
    for (const event of events) await b.deliver(event);
    await b.settle();
    expect((await u.chat()).status).toBe(400);
  });

  it('still asks for a token first', async () => {
    expect((await b.api('POST', '/ai/chat', {}, {})).status).toBe(401);
  });
});
