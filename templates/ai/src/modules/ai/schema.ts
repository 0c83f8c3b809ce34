import { z } from '@hono/zod-openapi';

const tier = z.enum(['small', 'standard', 'large']);

const message = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.string().min(1).max(200_000),
});

export const chatRequestSchema = z
  .object({
    messages: z.array(message).min(1).max(500),
    system: z.string().max(50_000).optional(),
    tier: tier.optional().openapi({ description: 'Skips the automatic choice of tier' }),
    model: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: 'A model id from src/lib/ai/models.ts: only that model is tried' }),
    maxOutputTokens: z
      .number()
      .int()
      .positive()
      .optional()
      .openapi({ description: 'Capped by AI_MAX_OUTPUT_TOKENS and by the model' }),
    temperature: z.number().min(0).max(2).optional(),
    json: z.boolean().optional().openapi({ description: 'Ask for a JSON object as the answer' }),
  })
  .strict()
  .openapi('AiChatRequest');

export const summarizeRequestSchema = z
  .object({
    text: z.string().min(1).max(200_000),
    maxWords: z.number().int().min(10).max(1_000).default(100),
  })
  .strict()
  .openapi('AiSummarizeRequest');

export const usageSchema = z
  .object({
    inputTokens: z.number().int(),
    cachedInputTokens: z.number().int(),
    cacheWriteTokens: z.number().int(),
    outputTokens: z.number().int(),
    reasoningTokens: z.number().int(),
  })
  .openapi('AiUsage');

export const chatResponseSchema = z
  .object({
    text: z.string(),
    provider: z.string(),
    model: z.string(),
    tier: tier.optional(),
    attempts: z.number().int(),
    finishReason: z.enum(['stop', 'length', 'content_filter', 'tool_calls', 'other']),
    usage: usageSchema,
    costMicros: z.number().int().openapi({ description: 'Millionths of a US dollar, an integer: exact to add up' }),
    costUsd: z.number(),
    estimated: z.boolean().openapi({ description: 'The provider sent no usage: tokens are estimated' }),
  })
  .openapi('AiChatResponse');

const breakerSchema = z.object({
  state: z.enum(['closed', 'open', 'half_open']),
  failures: z.number().int(),
  retryInMs: z.number().optional(),
});

export const statusSchema = z
  .object({
    providers: z.array(z.string()),
    tiers: z.record(
      tier,
      z.array(z.object({ provider: z.string(), model: z.string(), contextWindow: z.number(), breaker: breakerSchema })),
    ),
  })
  .openapi('AiStatus');

const totalsSchema = usageSchema.extend({ requests: z.number().int(), costMicros: z.number().int() });

export const usageReportSchema = z
  .object({
    periods: z.array(
      totalsSchema.extend({
        period: z.enum(['day', 'month']),
        startsAt: z.iso.datetime(),
        resetsAt: z.iso.datetime(),
        budget: z.object({
          limitMicros: z.number().int().openapi({ description: '0: no budget for this period' }),
          usedMicros: z.number().int().openapi({ description: 'Settled costs plus what requests under way hold' }),
        }),
      }),
    ),
    byUserAndModel: z
      .array(
        totalsSchema.extend({
          period: z.enum(['day', 'month']),
          userKey: z.string(),
          provider: z.string(),
          model: z.string(),
        }),
      )
      .optional()
      .openapi({ description: "Admins only: every user's totals per model, most expensive first" }),
  })
  .openapi('AiUsageReport');
