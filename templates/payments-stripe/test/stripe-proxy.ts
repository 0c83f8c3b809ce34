import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

type Match = (method: string, path: string) => boolean;

/**
 * A proxy in front of the fake Stripe (test/fake-stripe.ts) for what the network does: `hold` keeps
 * back the answer of the next matching request for `ms` after Stripe gave it, `down` answers 503 to
 * matching requests until it is called again with undefined.
 */
export const startStripeProxy = async () => {
  let target = 0;
  const holds: { match: Match; ms: number }[] = [];
  let down: Match | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const [method, path] = [req.method ?? '', req.url ?? ''];
      if (down?.(method, path)) {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { type: 'api_error', message: 'Stripe is down (test proxy)' } }));
        return;
      }
      const i = holds.findIndex((hold) => hold.match(method, path));
      const ms = i >= 0 ? (holds.splice(i, 1)[0]?.ms ?? 0) : 0;
      const upstream = request({ host: '127.0.0.1', port: target, path, method, headers: req.headers }, (answer) => {
        const body: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => body.push(chunk));
        answer.on('end', () =>
          setTimeout(() => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(body));
          }, ms),
        );
      });
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    /** For createBillingTest: the app talks to the proxy. */
    env: { STRIPE_API_PORT: String((server.address() as AddressInfo).port) },
    /** The fake's port, known once it runs. */
    forwardTo: (port: number) => {
      target = port;
    },
    hold: (match: Match, ms: number) => holds.push({ match, ms }),
    down: (match: Match | undefined) => {
      down = match;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
