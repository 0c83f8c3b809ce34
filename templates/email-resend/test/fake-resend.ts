import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

/**
 * A local stand-in for the Resend API (POST /emails), for the SDK to call through its base URL.
 * It checks the API key the way Resend does and records each request; `failNext` makes the next
 * request answer with an error status and Resend's error body.
 */
export const startFakeResend = async (apiKey = 're_test_key') => {
  const requests: RecordedRequest[] = [];
  let failure: { status: number; name: string; message: string } | undefined;
  let sent = 0;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>;
    requests.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization, body });
    const reply = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      reply(401, { statusCode: 401, name: 'validation_error', message: 'API key is invalid' });
    } else if (failure) {
      reply(failure.status, { statusCode: failure.status, name: failure.name, message: failure.message });
      failure = undefined;
    } else if (req.method === 'POST' && req.url === '/emails') {
      reply(200, { id: `fake-resend-${++sent}` });
    } else {
      reply(404, { statusCode: 404, name: 'not_found', message: 'Not found' });
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    apiKey,
    requests,
    failNext: (status: number, name: string, message: string) => {
      failure = { status, name, message };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
