import { type CryptoKey, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { KeysUnavailable } from './jwks.js';

/** A token that must be refused. The reason is for debugging only: clients always get the same 401. */
export class InvalidToken extends Error {
  override name = 'InvalidToken';
}

/** Verified claims: `sub` is always there, it is the user's id at the provider. */
export type Claims = JWTPayload & { sub: string };

export interface VerifierOptions {
  /** An imported secret (HS256) or a key-set resolver; never a key named by the token's own header. */
  key: CryptoKey | JWTVerifyGetKey;
  /** Pinned per mode: a token announcing any other `alg` is refused before any key is looked up. */
  algorithms: string[];
  issuer: string;
  audience?: string;
  /** Mode-specific checks on verified claims; returns why the token is refused, or undefined. */
  check?: (claims: Claims) => string | undefined;
  /**
   * Whether a token stands for a signed-in session (Clerk: it carries `sid`). Other tokens are refused
   * unless the route allows sessionless tokens. Unset: every token counts as a session.
   */
  isSession?: (claims: Claims) => boolean;
  /** Seconds of clock skew accepted on exp, nbf and iat; capped at MAX_CLOCK_TOLERANCE_SECONDS. */
  clockToleranceSeconds?: number;
  /** Verified tokens remembered at once (oldest dropped first). */
  cacheMaxEntries?: number;
}

export interface VerifyOptions {
  /** Also accept tokens that are not a user session (see VerifierOptions.isSession). */
  allowSessionless?: boolean;
}

export type Verifier = (token: string, options?: VerifyOptions) => Promise<Claims>;

export const MAX_CLOCK_TOLERANCE_SECONDS = 60;
/** A verified token is reused for at most this long, so a deactivated key stops working soon. */
const CACHE_TTL_MS = 60_000;

export const createVerifier = (options: VerifierOptions): Verifier => {
  const { key, algorithms, issuer, audience, check, isSession, cacheMaxEntries = 10_000 } = options;
  const tolerance = Math.min(Math.max(options.clockToleranceSeconds ?? 5, 0), MAX_CLOCK_TOLERANCE_SECONDS);
  const verifyOptions = { algorithms, issuer, audience, clockTolerance: tolerance, requiredClaims: ['exp', 'sub'] };
  // Verifying a signature costs far more than a map lookup; cached until min(exp, 60 s).
  const verified = new Map<string, { claims: Claims; until: number }>();

  const verifySignature = async (token: string): Promise<JWTPayload> => {
    try {
      const { payload } =
        typeof key === 'function'
          ? await jwtVerify(token, key, verifyOptions)
          : await jwtVerify(token, key, verifyOptions);
      return payload;
    } catch (err) {
      if (err instanceof KeysUnavailable) throw err;
      throw new InvalidToken((err as Error).message);
    }
  };

  // On every call, cached or not: whether a sessionless token passes depends on the route asking.
  const sessionCheck = (claims: Claims, { allowSessionless = false }: VerifyOptions) => {
    if (!allowSessionless && isSession && !isSession(claims)) throw new InvalidToken('not a session token');
    return claims;
  };

  return async (token, routeOptions = {}) => {
    const now = Date.now();
    const hit = verified.get(token);
    if (hit && hit.until > now) return sessionCheck(hit.claims, routeOptions);
    verified.delete(token);

    const payload = await verifySignature(token);
    // jose checks exp and nbf; a token issued in the future is refused here.
    if (typeof payload.iat === 'number' && payload.iat > now / 1000 + tolerance)
      throw new InvalidToken('iat in the future');
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new InvalidToken('sub missing');
    const claims = payload as Claims;
    const refused = check?.(claims);
    if (refused) throw new InvalidToken(refused);

    if (verified.size >= cacheMaxEntries) verified.delete(verified.keys().next().value as string);
    verified.set(token, { claims, until: Math.min((claims.exp as number) * 1000, now + CACHE_TTL_MS) });
    return sessionCheck(claims, routeOptions);
  };
};
