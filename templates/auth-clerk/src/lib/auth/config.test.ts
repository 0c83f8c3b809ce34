import { type CryptoKey, exportSPKI, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAuth, TEST_PARTY } from '../../../test/auth.js';
import { createTestApp, createTestDatabase, skipReason, type TestDatabase } from '../../../test/helpers.js';
import type { Env } from '../../env.js';
import { createLogger } from '../logger.js';
import { createRouter } from '../router.js';
import { authConfig } from './config.js';
import { type AuthEnv, requireUser } from './middleware.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

describe.skipIf(skipReason)('clerk mode', () => {
  let database: TestDatabase;
  let auth: Awaited<ReturnType<typeof createTestAuth>>;
  let t: TestApp;
  /** Same instance, with authorized parties and the `__session` cookie turned on. */
  let browser: TestApp;
  const me = (app: TestApp, init: RequestInit = {}) => app.app.request('/api/v1/me', init);
  const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
  const cookie = (token: string, headers: Record<string, string> = {}) => ({
    headers: { cookie: `__client_uat=1; __session=${token}`, ...headers },
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    auth = await createTestAuth();
    t = await createTestApp(auth.env, database);
    browser = await createTestApp(
      { ...auth.env, CLERK_AUTHORIZED_PARTIES: `${TEST_PARTY},https://admin.test`, CLERK_SESSION_COOKIE: 'true' },
      database,
    );
  });
  afterAll(async () => {
    await browser.close();
    await t.close();
    await auth.close();
    await database.drop();
  });

  it('accepts a session token', async () => {
    const res = await me(t, bearer(await auth.token('user_valid')));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ email: 'user_valid@example.com', role: 'user' });
  });

  it('creates the user from a default session token, which has no email or name', async () => {
    const res = await me(t, bearer(await auth.token('user_plain', { email: undefined })));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ email: null, name: null, avatarUrl: null });
  });

  it('refuses a token without sid, unless the route allows sessionless tokens', async () => {
    const sessionless = await auth.token('user_machine', { sid: undefined });
    expect((await me(t, bearer(sessionless))).status).toBe(401);

    const router = createRouter<AuthEnv>();
    router.get('/server', requireUser(t.deps, { allowSessionless: true }), (c) =>
      c.json({ sub: c.get('user').externalId }),
    );
    const server = (token: string) => router.request('/server', bearer(token));
    const res = await server(sessionless);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: 'user_machine' });
    // Opting in drops only the sid rule.
    expect((await server(await auth.token('user_machine', { sid: undefined, iss: 'https://evil.test' }))).status).toBe(
      401,
    );
  });

  it('refuses a session that still has tasks pending', async () => {
    expect((await me(t, bearer(await auth.token('user_pending', { sts: 'pending' })))).status).toBe(401);
    expect((await me(t, bearer(await auth.token('user_active', { sts: 'active' })))).status).toBe(200);
  });

  it('checks azp against CLERK_AUTHORIZED_PARTIES', async () => {
    expect((await me(browser, bearer(await auth.token('user_azp')))).status).toBe(200);
    expect((await me(browser, bearer(await auth.token('user_azp', { azp: 'https://admin.test' })))).status).toBe(200);
    expect((await me(browser, bearer(await auth.token('user_azp', { azp: 'https://evil.test' })))).status).toBe(401);
    expect((await me(browser, bearer(await auth.token('user_azp', { azp: undefined })))).status).toBe(401);
  });

  it('reads the __session cookie only when CLERK_SESSION_COOKIE=true', async () => {
    const token = await auth.token('user_cookie');
    expect((await me(t, cookie(token))).status).toBe(401);
    expect((await me(browser, cookie(token))).status).toBe(200);
    // The header wins: a bad header is not rescued by a good cookie.
    expect((await me(browser, cookie(token, { authorization: 'Bearer not.a.token' }))).status).toBe(401);
  });

  it('takes a cookie on state-changing requests only from an authorized Origin', async () => {
    const token = await auth.token('user_csrf');
    const patch = (headers: Record<string, string>) =>
      me(browser, {
        method: 'PATCH',
        body: JSON.stringify({ name: 'Changed' }),
        ...cookie(token, { 'content-type': 'application/json', ...headers }),
      });
    expect((await patch({})).status).toBe(401);
    expect((await patch({ origin: 'https://evil.test' })).status).toBe(401);
    const res = await patch({ origin: TEST_PARTY });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: 'Changed' });
  });

  it('verifies with CLERK_JWT_KEY without any network call', async () => {
    // Nothing listens at this issuer: a JWKS fetch would fail, and with no cached keys answer 503.
    const offline = 'http://127.0.0.1:9';
    const pem = await exportSPKI((await importJWK(auth.key.jwk, 'RS256', { extractable: true })) as CryptoKey);
    const fetchesBefore = auth.server.fetches();
    // As a single-line .env value would carry it.
    const app = await createTestApp(
      { CLERK_FRONTEND_API_URL: offline, CLERK_JWT_KEY: pem.replace(/\n/g, '\\n') },
      database,
    );
    try {
      expect((await me(app, bearer(await auth.token('user_pem', { iss: offline })))).status).toBe(200);
      // Still the exact issuer, and only that key.
      expect((await me(app, bearer(await auth.token('user_pem')))).status).toBe(401);
      expect(auth.server.fetches()).toBe(fetchesBefore);
    } finally {
      await app.close();
    }
  });

  it('answers 503 when the instance keys cannot be fetched and none are cached', async () => {
    const cold = await createTestApp({ CLERK_FRONTEND_API_URL: 'http://127.0.0.1:9' }, database);
    try {
      const res = await me(cold, bearer(await auth.token('user_cold', { iss: 'http://127.0.0.1:9' })));
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    } finally {
      await cold.close();
    }
  });

  it('refuses to boot with the cookie on but no authorized parties, or a key that is not PEM', async () => {
    await expect(createTestApp({ ...auth.env, CLERK_SESSION_COOKIE: 'true' }, database)).rejects.toThrow(
      /CLERK_AUTHORIZED_PARTIES/,
    );
    await expect(createTestApp({ ...auth.env, CLERK_JWT_KEY: 'not a key' }, database)).rejects.toThrow(/CLERK_JWT_KEY/);
    const garbage = '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----';
    await expect(createTestApp({ ...auth.env, CLERK_JWT_KEY: garbage }, database)).rejects.toThrow(/CLERK_JWT_KEY/);
  });
});

describe('keys in production', () => {
  it('are never fetched over plain http', async () => {
    const logger = createLogger({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    const env = { NODE_ENV: 'production', CLERK_FRONTEND_API_URL: 'http://clerk.test' } as Env;
    await expect(authConfig(env, logger)).rejects.toThrow(/https/);
  });
});
