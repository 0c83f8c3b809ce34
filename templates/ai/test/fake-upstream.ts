import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a fake provider received, kept so a test can check what the SDK sent. */
export interface ReceivedRequest {
  method: string;
  /** Path and query, e.g. `/v1/chat/completions`. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  receivedAt: number;
  /** When the client closed the connection before the answer ended: an abort reaching upstream. */
  disconnectedAt?: number;
}

/** An error answer: `code` is the provider's error code; `retryAfter` (seconds) goes in the `retry-after` header. */
export interface ScriptedError {
  status: number;
  message: string;
  code?: string;
  retryAfter?: string;
}

/**
 * What the fake does with one request. Steps given to `script()` are used in order, one per request;
 * once none is left every request gets a normal answer.
 */
export type Step =
  /** An error answer before the first byte of any stream. */
  | { status: number; message?: string; code?: string; retryAfter?: string }
  /** Reads the request and never answers. */
  | { hang: true }
  /**
   * A normal answer: `text` in pieces, or `chunks` (recorded stream chunks, sent as they are).
   * `cutAfter` destroys the socket after that many chunks; `hangAfter` keeps it open, silent.
   * `inputTokens` is the prompt size its usage reports (12 unless given).
   */
  | { text?: string[]; chunks?: unknown[]; cutAfter?: number; hangAfter?: number; inputTokens?: number };

/** What differs between providers: their routes, error bodies, answers and event-stream framing. */
export interface WireFormat {
  /** Whether this is one of the API's endpoints and whether it asks for a stream; undefined is a 404. */
  route(method: string, url: URL, body: Record<string, unknown>): { stream: boolean } | undefined;
  /** Whether the request carries the expected API key. */
  authorized(headers: IncomingHttpHeaders, url: URL): boolean;
  /** The answer to a wrong key, when it is not a plain 401. */
  unauthorized?: ScriptedError;
  errorBody(error: ScriptedError): unknown;
  /** A whole non-streamed answer, whose usage reports `inputTokens` of prompt. */
  answer(text: string[], body: Record<string, unknown>, inputTokens: number): unknown;
  /** The chunks of a streamed answer. */
  chunks(text: string[], body: Record<string, unknown>, inputTokens: number): unknown[];
  /** One chunk as it travels on the wire, blank line included. */
  frame(chunk: unknown): string;
  /** Sent after the last chunk (OpenAI's `data: [DONE]`). */
  end?: string;
}

const DEFAULT_TEXT = ['Hello', ' from', ' the fake.'];
const DEFAULT_INPUT_TOKENS = 12;

const readJson = async (req: IncomingMessage): Promise<Record<string, unknown>> => {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  const text = Buffer.concat(parts).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
};

/** Resolves once the bytes are handed to the socket, so a cut that follows cannot drop them. */
const write = (res: ServerResponse, text: string) => new Promise<void>((resolve) => res.write(text, () => resolve()));

/** A local HTTP server speaking one provider's wire format; real SDKs reach it through their base URL. */
export const startFakeUpstream = async (wire: WireFormat) => {
  const requests: ReceivedRequest[] = [];
  const steps: Step[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const body = await readJson(req);
    const received: ReceivedRequest = {
      method: req.method ?? '',
      url: url.pathname + url.search,
      headers: req.headers,
      body,
      receivedAt: Date.now(),
    };
    requests.push(received);
    res.on('close', () => {
      if (!res.writableFinished) received.disconnectedAt = Date.now();
    });
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(value));
    };

    const route = wire.route(req.method ?? '', url, body);
    const notFound = { status: 404, message: `No route for ${req.method} ${url.pathname}` };
    if (!route) return json(404, wire.errorBody(notFound));
    if (!wire.authorized(req.headers, url)) {
      const refusal = wire.unauthorized ?? { status: 401, message: 'Invalid API key' };
      return json(refusal.status, wire.errorBody(refusal));
    }
    const step = steps.shift() ?? {};
    if ('hang' in step) return;
    if ('status' in step) {
      const headers = step.retryAfter ? { 'retry-after': step.retryAfter } : undefined;
      return json(
        step.status,
        wire.errorBody({ ...step, message: step.message ?? `Scripted ${step.status}` }),
        headers,
      );
    }
    const text = step.text ?? DEFAULT_TEXT;
    const inputTokens = step.inputTokens ?? DEFAULT_INPUT_TOKENS;
    if (!route.stream) return json(200, wire.answer(text, body, inputTokens));

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (const [sent, chunk] of (step.chunks ?? wire.chunks(text, body, inputTokens)).entries()) {
      if (sent === step.cutAfter) return res.destroy();
      if (sent === step.hangAfter) return;
      await write(res, wire.frame(chunk));
    }
    res.end(wire.end);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    /** http://127.0.0.1:<port>, without any API version path. */
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    /** Queues what the next requests get, in order. */
    script: (...next: Step[]) => {
      steps.push(...next);
    },
    /** Forgets the requests received and any steps not used yet. */
    reset: () => {
      requests.length = 0;
      steps.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

export type FakeUpstream = Awaited<ReturnType<typeof startFakeUpstream>>;
