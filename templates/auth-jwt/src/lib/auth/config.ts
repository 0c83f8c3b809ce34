import type { Env } from '../../env.js';
import type { Logger } from '../logger.js';
import { hmacKey } from './hmac.js';
import { remoteKeySet } from './jwks.js';
import { bearerToken, type TokenReader } from './token.js';
import type { VerifierOptions } from './verify.js';

/** `jwt` mode: HS256 with AUTH_JWT_SECRET, or the keys at AUTH_JWKS_URL with AUTH_JWT_ALGORITHMS. */
export const authConfig = async (
  env: Env,
  logger: Logger,
): Promise<{ verifier: VerifierOptions; readToken: TokenReader }> => {
  const claims = { issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE };
  if (env.AUTH_JWT_SECRET && env.AUTH_JWKS_URL) throw new Error('auth: set AUTH_JWT_SECRET or AUTH_JWKS_URL, not both');
  if (env.AUTH_JWT_SECRET) {
    return {
      verifier: { ...claims, key: await hmacKey(env.AUTH_JWT_SECRET), algorithms: ['HS256'] },
      readToken: bearerToken,
    };
  }
  if (env.AUTH_JWKS_URL) {
    return {
      verifier: {
        ...claims,
        key: remoteKeySet(new URL(env.AUTH_JWKS_URL), { logger, httpsOnly: env.NODE_ENV === 'production' }),
        algorithms: env.AUTH_JWT_ALGORITHMS.split(',').map((alg) => alg.trim()),
      },
      readToken: bearerToken,
    };
  }
  throw new Error('auth: set AUTH_JWT_SECRET (HS256) or AUTH_JWKS_URL (asymmetric keys)');
};
