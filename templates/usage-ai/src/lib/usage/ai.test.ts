import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, skipReason, type TestApp } from '../../../test/helpers.js';
import { usageLedger } from '../../db/schema/usage-ledger.js';
import { keyOwner } from '../../modules/usage/owner.js';

describe.skipIf(skipReason)('AI tokens in the usage ledger', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('meters each AI request’s input, cached and output tokens as ai.tokens for its caller', async () => {
    const userKey = randomUUID();
    const row = { userKey, provider: 'test', model: 'test', status: 'completed' as const, latencyMs: 1 };
    await t.deps.ai.ledger.record({
      ...row,
      requestId: randomUUID(),
      inputTokens: 100,
      cachedInputTokens: 20,
      outputTokens: 30,
    });
    await t.deps.ai.ledger.record({ ...row, requestId: randomUUID(), cacheWriteTokens: 5, outputTokens: 45 });
    // A request that failed before spending a token meters nothing.
    await t.deps.ai.ledger.record({ ...row, requestId: randomUUID(), status: 'error' });
    await t.deps.usage.flush();

    const rows = await t.deps.db
      .select({ quantity: usageLedger.quantity })
      .from(usageLedger)
      .where(and(eq(usageLedger.userKey, keyOwner(userKey)), eq(usageLedger.metric, 'ai.tokens')));
    expect(rows).toEqual([{ quantity: 200 }]);
  });
});
