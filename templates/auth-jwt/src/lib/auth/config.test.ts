import { describe, expect, it } from 'vitest';
import { type Env, parseEnv } from '../../env.js';
import { createLogger } from '../logger.js';
import { authConfig } from './config.js';

const logger = createLogger({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
const base = { NODE_ENV: 'test', AUTH_ISSUER: 'https://issuer.test/' };
/** Just the auth settings, already parsed. */
const env = (auth: Partial<Env>) => ({ AUTH_ISSUER: base.AUTH_ISSUER, AUTH_JWT_ALGORITHMS: 'RS256', ...auth }) as Env;

describe('jwt mode settings', () => {
  it('refuses a secret under 32 bytes', () => {
    expect(() => parseEnv({ ...base, AUTH_JWT_SECRET: 'short' })).toThrow(/AUTH_JWT_SECRET/);
  });

  it('needs a secret or a JWKS URL, not both', async () => {
    await expect(authConfig(env({}), logger)).rejects.toThrow(/AUTH_JWT_SECRET/);
    const both = env({ AUTH_JWT_SECRET: 'x'.repeat(32), AUTH_JWKS_URL: 'https://a.test/jwks' });
    await expect(authConfig(both, logger)).rejects.toThrow(/not both/);
  });

  it('pins HS256 for the secret and the listed algorithms for JWKS keys', async () => {
    const secret = await authConfig(env({ AUTH_JWT_SECRET: 'x'.repeat(32) }), logger);
    expect(secret.verifier.algorithms).toEqual(['HS256']);
    const jwks = await authConfig(
      env({ AUTH_JWKS_URL: 'https://a.test/jwks', AUTH_JWT_ALGORITHMS: 'ES256,RS256' }),
      logger,
    );
    expect(jwks.verifier.algorithms).toEqual(['ES256', 'RS256']);
    for (const refused of ['none', 'RS256,', 'rs256']) {
      expect(() => parseEnv({ ...base, AUTH_JWT_ALGORITHMS: refused })).toThrow(
        /AUTH_JWT_ALGORITHMS: asymmetric algorithms, e\.g\. RS256/,
      );
    }
  });

  it('says where HS256 comes from when it is listed among the algorithms', () => {
    for (const listed of ['HS256', 'RS256,HS512']) {
      expect(() => parseEnv({ ...base, AUTH_JWT_ALGORITHMS: listed })).toThrow(
        /AUTH_JWT_ALGORITHMS: HS256 comes from AUTH_JWT_SECRET: set that instead/,
      );
    }
  });

  it('refuses a plain-http JWKS URL in production only', async () => {
    const http = { AUTH_JWKS_URL: 'http://a.test/jwks' };
    await expect(authConfig(env({ ...http, NODE_ENV: 'production' }), logger)).rejects.toThrow(/https/);
    await expect(authConfig(env(http), logger)).resolves.toBeDefined();
  });
});
