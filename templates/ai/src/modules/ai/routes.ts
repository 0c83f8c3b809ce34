import { createRoute, z } from '@hono/zod-openapi';
import { json, jsonBody, problemResponse } from '../../lib/openapi.js';
import { scopedRoute } from '../../lib/scope.js';
import {
  chatRequestSchema,
  chatResponseSchema,
  statusSchema,
  summarizeRequestSchema,
  usageReportSchema,
} from './schema.js';

const common = { tags: ['ai'], security: scopedRoute.security };

/** Which model answered, and after how many attempts (retries and fallbacks included). */
const modelHeaders = {
  'X-AI-Provider': { description: 'The provider that answered', schema: { type: 'string' as const } },
  'X-AI-Model': { description: 'The model that answered', schema: { type: 'string' as const } },
  'X-AI-Attempts': { description: 'Provider calls made, retries included', schema: { type: 'integer' as const } },
};

const refusals = {
  ...scopedRoute.responses,
  429: problemResponse('Too many AI requests, or the AI budget is spent (Retry-After says when to retry)'),
};

const modelCall = {
  ...refusals,
  400: problemResponse(
    'Invalid body, unknown model, a conversation too long for every model, or a request no model accepts',
  ),
  502: problemResponse('The AI provider refused this server’s credentials'),
  503: problemResponse('Every model that could answer failed or is busy (Retry-After says when to retry)'),
};

export const aiStatusRoute = createRoute({
  ...common,
  operationId: 'getAiStatus',
  method: 'get',
  path: '/ai/status',
  summary: 'AI providers, the models of each tier and their circuit breakers',
  responses: { 200: json(statusSchema, 'The gateway’s state'), ...refusals },
});

export const aiChatRoute = createRoute({
  ...common,
  operationId: 'createAiChat',
  method: 'post',
  path: '/ai/chat',
  summary: 'Answer a conversation, all at once',
  request: jsonBody(chatRequestSchema),
  responses: { 200: { ...json(chatResponseSchema, 'The answer'), headers: modelHeaders }, ...modelCall },
});

export const aiChatStreamRoute = createRoute({
  ...common,
  operationId: 'streamAiChat',
  method: 'post',
  path: '/ai/chat/stream',
  summary: 'Answer a conversation as Server-Sent Events',
  description: [
    'Starts once a model has sent its first token (a failure before it is a problem+json response).',
    'Events: `delta` `{ text }`, `usage` (token counts), then `done` `{ finishReason, usage, costMicros, ... }`',
    'or `error` `{ code, retryable, message }`; a comment line every 15 s keeps idle connections open.',
    'Closing the connection stops the model.',
  ].join(' '),
  request: jsonBody(chatRequestSchema),
  responses: {
    200: {
      description: 'The answer as it is written',
      headers: modelHeaders,
      content: { 'text/event-stream': { schema: z.string() } },
    },
    ...modelCall,
  },
});

export const aiSummarizeRoute = createRoute({
  ...common,
  operationId: 'createAiSummary',
  method: 'post',
  path: '/ai/summarize',
  summary: 'Summarize a text (prompt summarize.v1)',
  request: jsonBody(summarizeRequestSchema),
  responses: { 200: { ...json(chatResponseSchema, 'The summary'), headers: modelHeaders }, ...modelCall },
});

export const aiUsageRoute = createRoute({
  ...common,
  operationId: 'getAiUsage',
  method: 'get',
  path: '/ai/usage',
  summary: 'The caller’s AI usage, cost and budgets this UTC day and month (admins: everyone’s, per model)',
  responses: { 200: json(usageReportSchema, 'Usage per period'), ...refusals },
});
