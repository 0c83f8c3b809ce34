import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';

export interface TestKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

/** A fresh signing key; its public half is what a JWKS server publishes. */
export const createKey = async (kid: string, alg = 'RS256'): Promise<TestKey> => {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
};

/** Signs `claims` (exp one hour ahead unless given) with `key`; `header` can add or override header fields. */
export const signToken = (key: TestKey, claims: JWTPayload, header: Record<string, unknown> = {}) =>
  new SignJWT({ exp: Math.floor(Date.now() / 1000) + 3600, iat: Math.floor(Date.now() / 1000), ...claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, ...header })
    .sign(key.privateKey);

/** A local JWKS endpoint: publish keys, count fetches, and take it down to test outages. */
export const startJwksServer = async (path = '/.well-known/jwks.json') => {
  let keys: JWK[] = [];
  let up = true;
  let fetches = 0;
  const server = createServer((req, res) => {
    if (req.url !== path) return void res.writeHead(404).end();
    fetches += 1;
    if (!up) return void res.writeHead(503).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: `${origin}${path}`,
    publish: (...published: TestKey[]) => {
      keys = published.map((k) => k.jwk);
    },
    setUp: (value: boolean) => {
      up = value;
    },
    fetches: () => fetches,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

export type JwksServer = Awaited<ReturnType<typeof startJwksServer>>;
