import type { ModelSpec, PricePeriod } from './models.js';
import { estimateTokens, type ScoredRequest } from './scorer.js';
import { emptyUsage, systemPromptOf, type Usage } from './types.js';

/** The price period in effect at `at`: the latest that started by then (the first, for anything older). */
export const priceAt = (spec: ModelSpec, at: Date): PricePeriod => {
  const day = at.toISOString().slice(0, 10);
  const started = spec.prices.filter((p) => p.effective <= day);
  const period = started.at(-1) ?? spec.prices[0];
  if (!period) throw new Error('a model in models.ts has no prices');
  return period;
};

// Dollars per million tokens are micro-dollars per token; as integer pico-dollars per token, sums are exact.
const picos = (dollarsPerMillion: number): number => Math.round(dollarsPerMillion * 1_000_000);

/** What `usage` costs at the model's price in effect at `at`, in micro-dollars, rounded up per request. */
export const costMicros = (usage: Usage, spec: ModelSpec, at: Date): number => {
  const period = priceAt(spec, at);
  const prompt = usage.inputTokens + usage.cachedInputTokens + usage.cacheWriteTokens;
  const long = period.longContext && prompt > period.longContext.aboveInputTokens ? period.longContext : undefined;
  const total =
    usage.inputTokens * picos(long?.input ?? period.input) +
    usage.cachedInputTokens * picos(long?.cachedInput ?? period.cachedInput) +
    usage.cacheWriteTokens * picos(period.cacheWrite) +
    usage.outputTokens * picos(long?.output ?? period.output);
  return Math.ceil(total / 1_000_000);
};

// Role markers and separators a provider adds around each message, generously counted.
const MESSAGE_OVERHEAD_TOKENS = 16;

/**
 * The most tokens a prompt can count, whatever its script: its UTF-8 bytes. The three providers'
 * tokenizers work on bytes (or fall back to them), so no token is shorter than one byte, while
 * characters / 4 (the scorer's estimate) is 2 to 12 times too low for Chinese, emoji or hex ids.
 */
export const promptTokensAtMost = (request: ScoredRequest): number => {
  const system = systemPromptOf(request);
  const texts = [...(system ? [system] : []), ...request.messages.map((m) => m.content)];
  return texts.reduce((sum, text) => sum + Buffer.byteLength(text, 'utf8') + MESSAGE_OVERHEAD_TOKENS, 0);
};

/** The most a request can cost: its whole prompt uncached and every output token it may produce. */
export const worstCaseMicros = (promptTokens: number, maxOutputTokens: number, spec: ModelSpec, at: Date): number =>
  costMicros({ ...emptyUsage(), inputTokens: promptTokens, outputTokens: maxOutputTokens }, spec, at);

export interface Charge {
  usage: Usage;
  micros: number;
  /** True when the provider sent no usage (a stream cut or aborted early) and the tokens are estimated. */
  estimated: boolean;
}

/**
 * What a request is charged: the provider's usage when it sent one, else an estimate from the
 * prompt estimate and the text streamed so far (characters / 4), flagged as estimated.
 */
export const charge = (
  answer: { usage?: Usage; promptTokens: number; outputText: string },
  spec: ModelSpec,
  at: Date,
): Charge => {
  const usage = answer.usage ?? {
    ...emptyUsage(),
    inputTokens: answer.promptTokens,
    outputTokens: estimateTokens(answer.outputText),
  };
  return { usage, micros: costMicros(usage, spec, at), estimated: !answer.usage };
};
