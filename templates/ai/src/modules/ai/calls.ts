import type { AppDeps } from '../../deps.js';
import type { BudgetPeriod, Reservation } from '../../lib/ai/budget.js';
import { type Charge, charge } from '../../lib/ai/cost.js';
import { AiError } from '../../lib/ai/errors.js';
import type { Ledger, LedgerRow } from '../../lib/ai/ledger.js';
import {
  type AttemptInfo,
  type ChatResult,
  modelSpec,
  type RouteRequest,
  type RouterEvent,
  type SpentAttempt,
} from '../../lib/ai/router.js';
import { estimatePromptTokens } from '../../lib/ai/scorer.js';
import { emptyUsage, type ProviderName, type Usage } from '../../lib/ai/types.js';

export type CallStatus = 'completed' | 'aborted' | 'error';

/** Who is asking: the key budgets and the ledger count under, and the request's id. */
export interface Caller {
  userKey: string;
  requestId: string;
}

export type Opened =
  | { ok: true; call: Call }
  | { ok: false; budget: { period: BudgetPeriod; limitMicros: number; resetAt: Date } }
  | { ok: false; error: AiError };

/**
 * One admitted request: follows what the router reports, then settles the caller's budgets with the
 * real cost (or releases them) and writes its ai_usage row and log line. Never logs prompt or answer text.
 */
const trackCall = (
  { ai, logger }: AppDeps,
  ledger: Ledger,
  request: RouteRequest,
  caller: Caller,
  reservation: Reservation,
  startedAt: Date,
) => {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let attempt: AttemptInfo | undefined;
  let answering: Extract<RouterEvent, { type: 'start' }> | undefined;
  let firstTokenMs: number | undefined;
  let text = '';
  let usage: Usage | undefined;
  let ended = false;
  /** Attempts that failed after producing output (chat() retried them unseen): billed, so charged too. */
  const spent: { provider: ProviderName; model: string; charge: Charge }[] = [];

  /** What the request costs: nothing when no model started answering and the client stayed. */
  const costOf = (status: CallStatus): Charge | undefined => {
    const model = answering ?? (status === 'aborted' ? attempt : undefined);
    const spec = model && modelSpec(ai.config, model.provider, model.model);
    if (!spec) return undefined;
    return charge({ usage, promptTokens: estimatePromptTokens(request), outputText: text }, spec, startedAt);
  };

  return {
    /** For the router's `onAttempt`: the model tried last names a request that fails. */
    onAttempt: (info: AttemptInfo) => {
      attempt = info;
    },

    /** For the router's `onSpent`: charges a failed attempt's output, estimated when it sent no usage. */
    onSpent: ({ provider, model, outputText, usage }: SpentAttempt) => {
      const spec = modelSpec(ai.config, provider, model);
      if (!spec) return;
      const answer = { promptTokens: estimatePromptTokens(request), outputText, ...(usage && { usage }) };
      spent.push({ provider, model, charge: charge(answer, spec, startedAt) });
    },

    /** The attempt made last, if any. */
    get attempt() {
      return attempt;
    },

    /** Follows one router event. */
    see(event: RouterEvent) {
      if (event.type === 'start') answering = event;
      else if (event.type === 'usage') usage = event.usage;
      else if (event.type === 'text-delta') {
        firstTokenMs ??= elapsed();
        text += event.text;
      }
    },

    /** Takes chat()'s whole answer at once (it has no first-token time). */
    answered(result: ChatResult) {
      const { provider, model, tier, attempts } = result;
      answering = { type: 'start', provider, model, ...(tier && { tier }), attempts };
      text = result.text;
      usage = result.usage;
    },

    /** Settles, records and logs once; never throws, so it can run in a `finally`. */
    async end(status: CallStatus, error?: AiError): Promise<Charge | undefined> {
      if (ended) return undefined;
      ended = true;
      const cost = costOf(status);
      const model = answering ?? attempt;
      const latencyMs = elapsed();
      const spentMicros = spent.reduce((sum, attempt) => sum + attempt.charge.micros, 0);
      try {
        // Settling with 0 releases the whole reservation: nothing was billed.
        await ai.budget.settle(reservation, (cost?.micros ?? 0) + spentMicros);
      } catch (err) {
        logger.error({ err, requestId: caller.requestId }, 'ai: could not settle the budget');
      }
      const rows: LedgerRow[] = [
        {
          requestId: caller.requestId,
          userKey: caller.userKey,
          provider: model?.provider ?? 'none',
          model: model?.model ?? 'none',
          ...(cost?.usage ?? emptyUsage()),
          costMicros: cost?.micros ?? 0,
          status,
          estimated: cost?.estimated ?? false,
          timeToFirstTokenMs: firstTokenMs ?? null,
          latencyMs,
        },
        // One row per spent attempt, under its own model, so the totals per model stay true.
        ...spent.map(({ provider, model, charge }, i) => ({
          requestId: `${caller.requestId}:attempt-${i + 1}`,
          userKey: caller.userKey,
          provider,
          model,
          ...charge.usage,
          costMicros: charge.micros,
          status: 'error' as const,
          estimated: charge.estimated,
          timeToFirstTokenMs: null,
          latencyMs,
        })),
      ];
      try {
        for (const row of rows) await ledger.record(row);
      } catch (err) {
        logger.error({ err, requestId: caller.requestId }, 'ai: could not write the usage row');
      }
      logger.info(
        {
          requestId: caller.requestId,
          provider: model?.provider,
          model: model?.model,
          tier: answering?.tier,
          attempts: model?.attempts ?? 0,
          status,
          error: error?.kind,
          inputTokens: cost?.usage.inputTokens,
          outputTokens: cost?.usage.outputTokens,
          costMicros: cost?.micros ?? 0,
          estimated: cost?.estimated,
          ...(spent.length > 0 && { spentAttempts: spent.length, spentAttemptsMicros: spentMicros }),
          timeToFirstTokenMs: firstTokenMs,
          latencyMs,
        },
        'ai request',
      );
      return cost;
    },
  };
};

/** AI requests around the router: admitted against the budgets, then tracked to their ledger row. */
export const createCalls = (deps: AppDeps) => {
  const { ai } = deps;
  const { ledger } = ai;

  return {
    /**
     * Admits a request: a model the config lacks or a prompt too long for all is refused here, and so is
     * a request whose worst case does not fit in the caller's budgets (reserved atomically, so parallel
     * requests cannot all slip under a limit).
     */
    open: async (request: RouteRequest, caller: Caller): Promise<Opened> => {
      const startedAt = new Date();
      let worstCase: number;
      try {
        worstCase = ai.router.worstCaseMicros(request, startedAt);
      } catch (err) {
        if (err instanceof AiError) return { ok: false, error: err };
        throw err;
      }
      const reserved = await ai.budget.reserve(caller.userKey, worstCase, startedAt);
      if (!reserved.ok) return { ok: false, budget: reserved };
      return { ok: true, call: trackCall(deps, ledger, request, caller, reserved.reservation, startedAt) };
    },
  };
};

export type Call = ReturnType<typeof trackCall>;
