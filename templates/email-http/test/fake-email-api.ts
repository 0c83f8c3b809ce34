import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

/** How one provider's API answers: where it takes mail, what it says on success and on error. */
export interface EmailApiShape {
  apiKey: string;
  /** The path mail is POSTed to, e.g. `/emails`. */
  path: string;
  /** Whether the SDK expects its base URL with a trailing slash. */
  trailingSlash?: boolean;
  /** What the provider says when the key is refused. */
  unauthorized: string;
  /** Answers an accepted message, the `sent`-th one. */
  accepted: (res: ServerResponse, sent: number) => void;
  /** The JSON body of an error answer. */
  error: (status: number, message: string) => unknown;
}

export type FakeEmailApi = Awaited<ReturnType<typeof startFakeEmailApi>>;

/**
 * A local stand-in for an email provider's HTTP API, for its SDK to call through its base URL. It
 * checks the API key as the provider does and records each request; `failNext` makes the next
 * request answer with an error status and the provider's error body.
 */
export const startFakeEmailApi = async (shape: EmailApiShape) => {
  const requests: RecordedRequest[] = [];
  let failure: { status: number; message: string } | undefined;
  let sent = 0;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>;
    requests.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization, body });
    const fail = (status: number, message: string) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(shape.error(status, message)));
    };
    if (req.headers.authorization !== `Bearer ${shape.apiKey}`) {
      fail(401, shape.unauthorized);
    } else if (failure) {
      fail(failure.status, failure.message);
      failure = undefined;
    } else if (req.method === 'POST' && req.url === shape.path) {
      shape.accepted(res, ++sent);
    } else {
      fail(404, 'Not found');
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${shape.trailingSlash ? '/' : ''}`,
    apiKey: shape.apiKey,
    unauthorized: shape.unauthorized,
    requests,
    failNext: (status: number, message: string) => {
      failure = { status, message };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
