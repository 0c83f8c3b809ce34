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
 * A local stand-in for SendGrid's Mail Send API (POST /v3/mail/send), for the SDK to call through its
 * base URL. It checks the API key, records each request, and answers as SendGrid does: 202 with an
 * X-Message-Id header. `failNext` makes the next request answer with an error status and SendGrid's error body.
 */
export const startFakeSendgrid = async (apiKey = 'SG.test-key') => {
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
      res.end(JSON.stringify({ errors: [{ message, field: null, help: null }] }));
    };
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      fail(401, 'The provided authorization grant is invalid, expired, or revoked');
    } else if (failure) {
      fail(failure.status, failure.message);
      failure = undefined;
    } else if (req.method === 'POST' && req.url === '/v3/mail/send') {
      res.writeHead(202, { 'x-message-id': `fake-sendgrid-${++sent}` });
      res.end();
    } else {
      fail(404, 'Not found');
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    apiKey,
    requests,
    failNext: (status: number, message: string) => {
      failure = { status, message };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
