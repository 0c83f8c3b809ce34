import { importSPKI } from 'jose';
import type { Env } from '../../env.js';
import type { Logger } from '../logger.js';
import { remoteKeySet } from './jwks.js';
import { sessionCookieToken } from './session-cookie.js';
import { bearerToken, type TokenReader } from './token.js';
import type { Claims, VerifierOptions } from './verify.js';

/** CLERK_JWT_KEY as pasted from the dashboard; single-line .env files may carry `\n` for line breaks. */
const importPublicKey = async (pem: string) => {
  try {
    return await importSPKI(pem.replace(/\\n/g, '\n'), 'RS256');
  } catch {
    throw new Error('auth: CLERK_JWT_KEY is not an RSA public key in PEM format');
  }
};

/**
 * `clerk` mode: session tokens (RS256) issued by the instance's Frontend API, CLERK_FRONTEND_API_URL.
 * With CLERK_JWT_KEY they are verified without any network call; otherwise with the instance JWKS at
 * <CLERK_FRONTEND_API_URL>/.well-known/jwks.json. Tests point CLERK_FRONTEND_API_URL at a local server.
 */
export const authConfig = async (
  env: Env,
  logger: Logger,
): Promise<{ verifier: VerifierOptions; readToken: TokenReader }> => {
  const parties = env.CLERK_AUTHORIZED_PARTIES;
  let readToken: TokenReader = bearerToken;
  if (env.CLERK_SESSION_COOKIE) {
    if (!parties) throw new Error('auth: CLERK_SESSION_COOKIE=true needs CLERK_AUTHORIZED_PARTIES (your frontends)');
    readToken = sessionCookieToken(parties);
  }
  const key = env.CLERK_JWT_KEY
    ? await importPublicKey(env.CLERK_JWT_KEY)
    : remoteKeySet(new URL(`${env.CLERK_FRONTEND_API_URL}/.well-known/jwks.json`), {
        logger,
        httpsOnly: env.NODE_ENV === 'production',
      });
  const check = (claims: Claims) => {
    // Listed parties: a token must name one of them (a token without azp is refused too).
    if (parties && !(typeof claims.azp === 'string' && parties.includes(claims.azp))) return 'azp not authorized';
    // A session with tasks left (e.g. choosing an organization) is not signed in yet, as in Clerk's SDKs.
    if (claims.sts !== undefined && claims.sts !== 'active') return 'session not active';
    return undefined;
  };
  return {
    verifier: {
      key,
      algorithms: ['RS256'],
      issuer: env.CLERK_FRONTEND_API_URL,
      check,
      isSession: (claims) => typeof claims.sid === 'string' && claims.sid !== '',
    },
    readToken,
  };
};
