import type { Env } from '../../env.js';
import type { Logger } from '../logger.js';
import { hmacKey } from './hmac.js';
import { remoteKeySet } from './jwks.js';
import { bearerToken, type TokenReader } from './token.js';
import type { Claims, VerifierOptions } from './verify.js';

/**
 * `supabase` mode: tokens signed with the project's keys (ES256/RS256, from its JWKS), issued by
 * <SUPABASE_URL>/auth/v1 for the `authenticated` audience. The anon and service-role keys are JWTs
 * too, but not users: only `role: authenticated` passes. Tests point SUPABASE_URL at a local server.
 */
export const authConfig = async (
  env: Env,
  logger: Logger,
): Promise<{ verifier: VerifierOptions; readToken: TokenReader }> => {
  const jwks = remoteKeySet(new URL(`${env.SUPABASE_URL}/auth/v1/.well-known/jwks.json`), {
    logger,
    httpsOnly: env.NODE_ENV === 'production',
  });
  const claims = {
    issuer: `${env.SUPABASE_URL}/auth/v1`,
    audience: 'authenticated',
    check: (c: Claims) => (c.role === 'authenticated' ? undefined : 'not a user token'),
  };
  if (!env.SUPABASE_ALLOW_LEGACY_HS256) {
    return { verifier: { ...claims, key: jwks, algorithms: ['ES256', 'RS256'] }, readToken: bearerToken };
  }
  if (!env.SUPABASE_JWT_SECRET) throw new Error('auth: SUPABASE_ALLOW_LEGACY_HS256=true needs SUPABASE_JWT_SECRET');
  // HS256 tokens are checked with the shared secret only, never with a public key from the JWKS.
  const secret = await hmacKey(env.SUPABASE_JWT_SECRET);
  return {
    verifier: {
      ...claims,
      key: (header, token) => (header.alg === 'HS256' ? Promise.resolve(secret) : jwks(header, token)),
      algorithms: ['ES256', 'RS256', 'HS256'],
    },
    readToken: bearerToken,
  };
};
