import { describe, expect, it } from 'vitest';
import { scoring } from './models.js';
import { chooseTier, estimatePromptTokens } from './scorer.js';

const say = (content: string) => ({ role: 'user' as const, content });

describe('scorer', () => {
  it('estimates tokens as characters / 4, system prompt included', () => {
    expect(estimatePromptTokens({ system: 'abcd', messages: [say('abcde'), say('')] })).toBe(3);
  });

  it('sends a short question to the small tier', () => {
    expect(chooseTier({ messages: [say('What is the capital of France?')] }, scoring)).toBe('small');
  });

  it('moves up with the prompt size and the conversation depth', () => {
    expect(chooseTier({ messages: [say('x'.repeat(4 * 1_001))] }, scoring)).toBe('standard');
    expect(chooseTier({ messages: [say('x'.repeat(4 * 20_001))] }, scoring)).toBe('large');
    expect(chooseTier({ messages: Array.from({ length: 7 }, () => say('hi')) }, scoring)).toBe('standard');
    expect(chooseTier({ messages: Array.from({ length: 31 }, () => say('hi')) }, scoring)).toBe('large');
  });

  it('gives JSON at least the standard tier, never less than the size needs', () => {
    expect(chooseTier({ messages: [say('hi')], json: true }, scoring)).toBe('standard');
    expect(chooseTier({ messages: [say('x'.repeat(4 * 20_001))], json: true }, scoring)).toBe('large');
  });

  it('lets an explicit tier win', () => {
    expect(chooseTier({ messages: [say('x'.repeat(4 * 20_001))], tier: 'small' }, scoring)).toBe('small');
  });
});
