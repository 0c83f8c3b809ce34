import { base64url, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKey, type JwksServer, signToken, startJwksServer, type TestKey } from '../../../test/jwks.js';
import { createLogger } from '../logger.js';
import { KeysUnavailable, remoteKeySet } from './jwks.js';
import { createVerifier, InvalidToken, type Verifier } from './verify.js';

const logger = createLogger({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
const issuer = 'https://issuer.test/';
const audience = 'https://api.test';
const now = () => Math.floor(Date.now() / 1000);

describe('token verification (JWKS)', () => {
  let jwks: JwksServer;
  let key: TestKey;
  let verify: Verifier;
  const claims = { sub: 'user-1', iss: issuer, aud: audience };
  const verifier = (cooldownMs = 60_000) =>
    createVerifier({
      key: remoteKeySet(new URL(jwks.url), { logger, cooldownMs }),
      algorithms: ['RS256'],
      issuer,
      audience,
    });

  beforeAll(async () => {
    jwks = await startJwksServer();
    key = await createKey('k1');
  });
  afterAll(() => jwks.close());
  beforeEach(() => {
    jwks.publish(key);
    jwks.setUp(true);
    verify = verifier();
  });

  it('accepts a valid token', async () => {
    await expect(verify(await signToken(key, claims))).resolves.toMatchObject({ sub: 'user-1' });
  });

  it.each([
    ['expired', { exp: now() - 120 }],
    ['not yet valid', { nbf: now() + 120 }],
    ['issued in the future', { iat: now() + 120 }],
    ['wrong issuer', { iss: 'https://evil.test/' }],
    ['wrong audience', { aud: 'https://other.test' }],
    ['no subject', { sub: undefined }],
  ])('refuses a token %s', async (_, override) => {
    await expect(verify(await signToken(key, { ...claims, ...override }))).rejects.toBeInstanceOf(InvalidToken);
  });

  it('refuses a token without exp', async () => {
    const token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(key.privateKey);
    await expect(verify(token)).rejects.toBeInstanceOf(InvalidToken);
  });

  it('refuses alg none', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', kid: 'k1' }));
    const payload = base64url.encode(JSON.stringify({ ...claims, exp: now() + 60 }));
    await expect(verify(`${header}.${payload}.`)).rejects.toBeInstanceOf(InvalidToken);
  });

  it('refuses HS256 signed with the RSA public key (algorithm confusion)', async () => {
    const publicPem = new TextEncoder().encode(JSON.stringify(key.jwk));
    const token = await new SignJWT({ ...claims, exp: now() + 60 })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .sign(publicPem);
    await expect(verify(token)).rejects.toBeInstanceOf(InvalidToken);
  });

  it('refuses a tampered payload', async () => {
    const [h, , s] = (await signToken(key, claims)).split('.');
    const forged = base64url.encode(JSON.stringify({ ...claims, sub: 'admin', exp: now() + 60 }));
    await expect(verify(`${h}.${forged}.${s}`)).rejects.toBeInstanceOf(InvalidToken);
  });

  it('refuses an unknown kid, and never trusts keys named by the header (jwk, jku, x5u)', async () => {
    const attacker = await createKey('evil');
    await expect(verify(await signToken(attacker, claims))).rejects.toBeInstanceOf(InvalidToken);
    const headers = { jwk: attacker.jwk, jku: jwks.url, x5u: jwks.url, kid: 'k1' };
    await expect(verify(await signToken(attacker, claims, headers))).rejects.toBeInstanceOf(InvalidToken);
  });

  it('picks up a rotated key without a restart', async () => {
    await verify(await signToken(key, claims));
    const next = await createKey('k2');
    jwks.publish(key, next);
    verify = createVerifier({
      key: remoteKeySet(new URL(jwks.url), { logger, cooldownMs: 0 }),
      algorithms: ['RS256'],
      issuer,
      audience,
    });
    await verify(await signToken(key, claims));
    await expect(verify(await signToken(next, { ...claims, sub: 'user-2' }))).resolves.toMatchObject({ sub: 'user-2' });
  });

  it('refetches at most once per cooldown, however many unknown kids arrive', async () => {
    await verify(await signToken(key, claims));
    const before = jwks.fetches();
    const stranger = await createKey('unknown');
    for (let i = 0; i < 20; i++) {
      await expect(verify(await signToken(stranger, claims, { kid: `unknown-${i}` }))).rejects.toThrow();
    }
    expect(jwks.fetches() - before).toBeLessThanOrEqual(1);
  });

  it('keeps verifying known keys while the JWKS is down (warm cache)', async () => {
    await verify(await signToken(key, claims));
    jwks.setUp(false);
    await expect(verify(await signToken(key, { ...claims, sub: 'user-3' }))).resolves.toMatchObject({ sub: 'user-3' });
  });

  it('cannot verify anything while the JWKS is down and nothing is cached (cold)', async () => {
    jwks.setUp(false);
    await expect(verify(await signToken(key, claims))).rejects.toBeInstanceOf(KeysUnavailable);
  });

  it('refuses tokens that are not sessions, unless the caller allows them, cached or not', async () => {
    const sessionsOnly = createVerifier({
      key: remoteKeySet(new URL(jwks.url), { logger }),
      algorithms: ['RS256'],
      issuer,
      audience,
      isSession: (c) => typeof c.sid === 'string',
    });
    const sessionless = await signToken(key, claims);
    await expect(sessionsOnly(sessionless)).rejects.toBeInstanceOf(InvalidToken);
    await expect(sessionsOnly(sessionless, { allowSessionless: true })).resolves.toMatchObject({ sub: 'user-1' });
    // Now cached as verified: still refused where sessions are required.
    await expect(sessionsOnly(sessionless)).rejects.toBeInstanceOf(InvalidToken);
    await expect(sessionsOnly(await signToken(key, { ...claims, sid: 'sess-1' }))).resolves.toMatchObject({
      sid: 'sess-1',
    });
  });

  it('caps the clock tolerance', async () => {
    const lenient = createVerifier({
      key: remoteKeySet(new URL(jwks.url), { logger }),
      algorithms: ['RS256'],
      issuer,
      clockToleranceSeconds: 3600,
    });
    await expect(lenient(await signToken(key, { ...claims, exp: now() - 600 }))).rejects.toBeInstanceOf(InvalidToken);
  });
});
