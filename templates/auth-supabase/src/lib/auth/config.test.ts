import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAuth } from '../../../test/auth.js';
import { createTestApp, skipReason } from '../../../test/helpers.js';
import type { Env } from '../../env.js';
import { createLogger } from '../logger.js';
import { authConfig } from './config.js';

describe.skipIf(skipReason)('supabase mode', () => {
  let auth: Awaited<ReturnType<typeof createTestAuth>>;
  let t: Awaited<ReturnType<typeof createTestApp>>;
  const me = async (token: string) => t.app.request('/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
  beforeAll(async () => {
    auth = await createTestAuth();
    t = await createTestApp(auth.env);
  });
  afterAll(async () => {
    await t.close();
    await auth.close();
  });

  it('accepts a signed-in user', async () => {
    expect((await me(await auth.token('sb-user'))).status).toBe(200);
  });

  it('refuses anon and service-role keys, and other audiences', async () => {
    expect((await me(await auth.token('anon', { role: 'anon' }))).status).toBe(401);
    expect((await me(await auth.token('svc', { role: 'service_role' }))).status).toBe(401);
    expect((await me(await auth.token('aud', { aud: 'other' }))).status).toBe(401);
  });

  it('answers 503 when the project keys cannot be fetched and none are cached', async () => {
    const cold = await createTestApp({ SUPABASE_URL: 'http://127.0.0.1:9' });
    try {
      const res = await cold.app.request('/api/v1/me', {
        headers: { authorization: `Bearer ${await auth.token('x')}` },
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    } finally {
      await cold.close();
    }
  });
});

describe('keys in production', () => {
  it('are never fetched over plain http', async () => {
    const logger = createLogger({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    const env = {
      NODE_ENV: 'production',
      SUPABASE_URL: 'http://project.test',
      SUPABASE_ALLOW_LEGACY_HS256: false,
    } as Env;
    await expect(authConfig(env, logger)).rejects.toThrow(/https/);
  });
});
