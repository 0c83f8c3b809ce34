import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AppDeps } from '../../deps.js';
import { periodOf } from '../../lib/ai/budget.js';
import type { Charge } from '../../lib/ai/cost.js';
import { AiError } from '../../lib/ai/errors.js';
import type { ChatResult, RouteRequest, RouterEvent } from '../../lib/ai/router.js';
import { emptyUsage, type FinishReason } from '../../lib/ai/types.js';
import type { ScopeEnv } from '../../lib/scope.js';
import { callerKey, isAdmin } from './caller.js';
import { type Call, type Caller, type CallStatus, createCalls } from './calls.js';
import { aiFailure, FAILURES, overBudget } from './problems.js';
import { createPrompts } from './prompts.js';
import type { aiChatRoute, aiChatStreamRoute, aiStatusRoute, aiSummarizeRoute, aiUsageRoute } from './routes.js';

type Env = ScopeEnv;

/** A comment line this often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

const setModelHeaders = (
  c: Context<Env>,
  { provider, model, attempts }: { provider: string; model: string; attempts: number },
) => {
  c.header('X-AI-Provider', provider);
  c.header('X-AI-Model', model);
  c.header('X-AI-Attempts', String(attempts));
};

const costFields = (cost: Charge | undefined) => ({
  usage: cost?.usage ?? emptyUsage(),
  costMicros: cost?.micros ?? 0,
  costUsd: (cost?.micros ?? 0) / 1_000_000,
  estimated: cost?.estimated ?? false,
});

const toChatJson = (result: ChatResult, cost: Charge | undefined) => ({
  text: result.text,
  provider: result.provider,
  model: result.model,
  ...(result.tier && { tier: result.tier }),
  attempts: result.attempts,
  finishReason: result.finishReason,
  ...costFields(cost),
});

export const aiHandlers = (deps: AppDeps) => {
  const { ai, env, logger } = deps;
  const calls = createCalls(deps);
  const { ledger } = ai;
  const prompts = createPrompts();

  const callerOf = (c: Context<Env>): Caller => ({
    userKey: callerKey(c, env.TRUST_PROXY),
    requestId: c.get('requestId'),
  });

  /** Ends a call the router gave up on (or the client left) and answers with a problem. */
  const failed = async (c: Context<Env>, call: Call, err: unknown, signal: AbortSignal) => {
    const error = err instanceof AiError ? err : undefined;
    await call.end(signal.aborted ? 'aborted' : 'error', error);
    if (!error) throw err;
    if (call.attempt) setModelHeaders(c, call.attempt);
    return aiFailure(c, error);
  };

  /** The whole answer as JSON; used by /chat and by the prompt endpoints. */
  const answer = async (c: Context<Env>, request: RouteRequest) => {
    const opened = await calls.open(request, callerOf(c));
    if (!opened.ok) return 'budget' in opened ? overBudget(c, opened.budget) : aiFailure(c, opened.error);
    const { call } = opened;
    const signal = c.req.raw.signal;
    let result: ChatResult;
    try {
      result = await ai.router.chat(request, { signal, onAttempt: call.onAttempt, onSpent: call.onSpent });
    } catch (err) {
      return failed(c, call, err, signal);
    }
    call.answered(result);
    const cost = await call.end('completed');
    setModelHeaders(c, result);
    return c.json(toChatJson(result, cost), 200);
  };

  const chat: RouteHandler<typeof aiChatRoute, Env> = (c) => answer(c, c.req.valid('json'));

  const summarize: RouteHandler<typeof aiSummarizeRoute, Env> = (c) => {
    const { text, maxWords } = c.req.valid('json');
    const prompt = prompts.render('summarize.v1', { text, maxWords });
    // Room for the summary: about 2 tokens per word, and a margin for models that think first.
    return answer(c, {
      tier: 'small',
      messages: [{ role: 'user', content: prompt }],
      maxOutputTokens: maxWords * 2 + 1_000,
    });
  };

  const stream: RouteHandler<typeof aiChatStreamRoute, Env> = async (c) => {
    const request = c.req.valid('json');
    const opened = await calls.open(request, callerOf(c));
    if (!opened.ok) return 'budget' in opened ? overBudget(c, opened.budget) : aiFailure(c, opened.error);
    const { call } = opened;
    const clientLeft = new AbortController();
    const signal = AbortSignal.any([c.req.raw.signal, clientLeft.signal]);
    const events = ai.router.stream(request, { signal, onAttempt: call.onAttempt, onSpent: call.onSpent });

    // The response starts with the first token, so its headers name the model and a failure before it
    // (every candidate tried) is an ordinary problem response.
    let first: IteratorResult<RouterEvent>;
    try {
      first = await events.next();
    } catch (err) {
      return failed(c, call, err, signal);
    }
    if (first.done || first.value.type !== 'start') {
      return failed(c, call, new AiError('server', 'the answer ended before it started'), signal);
    }
    const start = first.value;
    call.see(start);
    setModelHeaders(c, start);

    const response = streamSSE(c, async (sse) => {
      sse.onAbort(() => clientLeft.abort());
      const heartbeat = setInterval(() => void sse.write(': keep-alive\n\n'), HEARTBEAT_MS);
      const send = (event: string, data: unknown) => sse.writeSSE({ event, data: JSON.stringify(data) });
      let status: CallStatus = 'error';
      let finishReason: FinishReason | undefined;
      let error: AiError | undefined;
      try {
        for await (const event of events) {
          call.see(event);
          if (event.type === 'text-delta') await send('delta', { text: event.text });
          else if (event.type === 'usage') await send('usage', event.usage);
          else if (event.type === 'finish') {
            status = 'completed';
            finishReason = event.reason;
          } else if (event.type === 'error') {
            status = signal.aborted ? 'aborted' : 'error';
            error = new AiError(event.code, event.message);
            const { detail } = FAILURES[event.code];
            await send('error', { code: event.code, retryable: event.retryable, message: detail });
          }
        }
      } catch (err) {
        status = signal.aborted ? 'aborted' : 'error';
        logger.error({ err, requestId: c.get('requestId') }, 'ai: stream failed');
        await send('error', { code: 'server', retryable: true, message: FAILURES.server.detail });
      } finally {
        clearInterval(heartbeat);
        const cost = await call.end(status, error);
        if (status === 'completed') {
          const { provider, model, tier, attempts } = start;
          await send('done', { finishReason, provider, model, tier, attempts, ...costFields(cost) });
        }
      }
    });
    // streamSSE says no-cache; an answer for one user must not be stored at all.
    response.headers.set('Cache-Control', 'no-store');
    return response;
  };

  const status: RouteHandler<typeof aiStatusRoute, Env> = async (c) => c.json(await ai.router.status(), 200);

  const usage: RouteHandler<typeof aiUsageRoute, Env> = async (c) => {
    const now = new Date();
    const userKey = callerKey(c, env.TRUST_PROXY);
    const budgets = await ai.budget.usage(userKey, now);
    const periods = await Promise.all(
      budgets.map(async ({ period, spentMicros, limitMicros, resetAt }) => {
        const since = periodOf(period, now).startsAt;
        return {
          period,
          startsAt: since.toISOString(),
          resetsAt: resetAt.toISOString(),
          ...(await ledger.totalsOf(userKey, since)),
          budget: { limitMicros, usedMicros: spentMicros },
        };
      }),
    );
    if (!isAdmin(c)) return c.json({ periods }, 200);
    const everyone = await Promise.all(
      (['day', 'month'] as const).map(async (period) =>
        (await ledger.totalsByUserAndModel(periodOf(period, now).startsAt)).map((row) => ({ period, ...row })),
      ),
    );
    return c.json({ periods, byUserAndModel: everyone.flat() }, 200);
  };

  return { status, chat, stream, summarize, usage };
};
