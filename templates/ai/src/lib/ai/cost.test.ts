import { describe, expect, it } from 'vitest';
import { charge, costMicros, priceAt, worstCaseMicros } from './cost.js';
import type { ModelSpec } from './models.js';
import { emptyUsage } from './types.js';

const spec: ModelSpec = {
  contextWindow: 1_000_000,
  maxOutputTokens: 10_000,
  prices: [
    { effective: '2025-01-01', input: 2, cachedInput: 0.2, cacheWrite: 2.5, output: 8 },
    {
      effective: '2025-06-01',
      input: 1,
      cachedInput: 0.1,
      cacheWrite: 1.25,
      output: 4,
      longContext: { aboveInputTokens: 200_000, input: 2, cachedInput: 0.2, output: 6 },
    },
  ],
};
const usage = {
  ...emptyUsage(),
  inputTokens: 1_000,
  cachedInputTokens: 2_000,
  cacheWriteTokens: 400,
  outputTokens: 500,
};

describe('cost', () => {
  it('uses the price period in effect at the time of the request', () => {
    expect(priceAt(spec, new Date('2025-05-31T23:59:59Z')).input).toBe(2);
    expect(priceAt(spec, new Date('2025-06-01T00:00:00Z')).input).toBe(1);
    expect(priceAt(spec, new Date('2024-01-01T00:00:00Z')).input).toBe(2);
  });

  it('prices every token class in micro-dollars', () => {
    // 1000 × 1 + 2000 × 0.1 + 400 × 1.25 + 500 × 4 micro-dollars
    expect(costMicros(usage, spec, new Date('2025-07-01'))).toBe(1_000 + 200 + 500 + 2_000);
    expect(costMicros(usage, spec, new Date('2025-02-01'))).toBe(2_000 + 400 + 1_000 + 4_000);
  });

  it('is exact where floating point is not, and rounds a fraction up', () => {
    const lite: ModelSpec = {
      ...spec,
      prices: [{ effective: '2025-01-01', input: 0.1, cachedInput: 0.01, cacheWrite: 0, output: 0.4 }],
    };
    // 30 × 0.1 is 3.0000000000000004 in floating point: rounded up, that would be 4.
    expect(costMicros({ ...emptyUsage(), inputTokens: 30 }, lite, new Date())).toBe(3);
    expect(costMicros({ ...emptyUsage(), inputTokens: 31 }, lite, new Date())).toBe(4);
    expect(costMicros({ ...emptyUsage(), inputTokens: 3 }, lite, new Date())).toBe(1);
  });

  it('charges long prompts at the long-context price', () => {
    const long = { ...emptyUsage(), inputTokens: 200_001, outputTokens: 10 };
    expect(costMicros(long, spec, new Date('2025-07-01'))).toBe(400_002 + 60);
  });

  it('takes the worst case as the whole prompt uncached plus every allowed output token', () => {
    expect(worstCaseMicros(1_000, 2_000, spec, new Date('2025-07-01'))).toBe(1_000 + 8_000);
  });

  it('charges the provider usage, or an estimate flagged as such', () => {
    const at = new Date('2025-07-01');
    expect(charge({ usage, promptTokens: 9, outputText: 'x' }, spec, at)).toEqual({
      usage,
      micros: 3_700,
      estimated: false,
    });
    const estimate = charge({ promptTokens: 100, outputText: 'x'.repeat(41) }, spec, at);
    expect(estimate).toEqual({
      usage: { ...emptyUsage(), inputTokens: 100, outputTokens: 11 },
      micros: 100 + 44,
      estimated: true,
    });
  });
});
