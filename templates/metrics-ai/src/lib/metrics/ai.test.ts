import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, skipReason, type TestApp } from '../../../test/helpers.js';
import { sampleValue } from '../../../test/metrics.js';

describe.skipIf(skipReason)('AI metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const value = (name: string, labels: Record<string, string>) => sampleValue(t.deps.metrics, name, labels);

  it('counts each AI request, its tokens by kind and its cost, by provider and model', async () => {
    const row = { userKey: randomUUID(), provider: 'openai', model: 'gpt-test', latencyMs: 1 };
    await t.deps.ai.ledger.record({
      ...row,
      requestId: randomUUID(),
      status: 'completed',
      inputTokens: 100,
      cachedInputTokens: 20,
      outputTokens: 30,
      costMicros: 1_500,
    });
    await t.deps.ai.ledger.record({ ...row, requestId: randomUUID(), status: 'error' });

    const labels = { provider: 'openai', model: 'gpt-test' };
    expect(await value('ai_requests_total', { ...labels, status: 'completed' })).toBe(1);
    expect(await value('ai_requests_total', { ...labels, status: 'error' })).toBe(1);
    expect(await value('ai_tokens_total', { ...labels, kind: 'input' })).toBe(100);
    expect(await value('ai_tokens_total', { ...labels, kind: 'cached_input' })).toBe(20);
    expect(await value('ai_tokens_total', { ...labels, kind: 'output' })).toBe(30);
    expect(await value('ai_tokens_total', { ...labels, kind: 'cache_write' })).toBeUndefined();
    expect(await value('ai_cost_usd_total', labels)).toBeCloseTo(0.0015, 9);
  });
});
