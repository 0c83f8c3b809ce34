import type { Context, MiddlewareHandler } from 'hono';
import type { User } from '../../db/schema/users.js';
import type { AppDeps } from '../../deps.js';
import type { AppEnv } from '../app-env.js';
import { problem } from '../errors.js';
import { KeysUnavailable } from './jwks.js';
import type { VerifyOptions } from './verify.js';

/** The env of routes behind requireUser: `c.get('user')` is the signed-in, active user. */
export interface AuthEnv extends AppEnv {
  Variables: AppEnv['Variables'] & { user: User };
}

/** Every refusal looks the same, so a client learns nothing about why its token failed. */
const unauthorized = (c: Context<AuthEnv>) => {
  c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
  return problem(c, 401, { detail: 'A valid access token is required' });
};

/**
 * Verifies the access token, loads (or on first sight creates) its user, and refuses deactivated users.
 * Only session tokens pass unless the route sets `allowSessionless`: in Clerk mode a token without
 * `sid` (not tied to a signed-in browser session) is refused by default; other modes have no such kind.
 */
export const requireUser = ({ auth, logger }: AppDeps, options: VerifyOptions = {}): MiddlewareHandler<AuthEnv> => {
  return async (c, next) => {
    const token = auth.readToken(c);
    if (!token) return unauthorized(c);
    let claims: Awaited<ReturnType<typeof auth.verify>>;
    try {
      claims = await auth.verify(token, options);
    } catch (err) {
      if (err instanceof KeysUnavailable) {
        logger.error({ err, requestId: c.get('requestId') }, 'auth: signing keys unavailable');
        return problem(c, 503, { detail: 'Cannot verify access tokens right now; retry later' });
      }
      // The reason, never the token: tokens are credentials.
      logger.debug({ reason: (err as Error).message, requestId: c.get('requestId') }, 'auth: token refused');
      return unauthorized(c);
    }
    const user = await auth.users.fromClaims(claims);
    if (!user.active) return problem(c, 403, { detail: 'This account is deactivated' });
    c.set('user', user);
    await next();
  };
};

/** After requireUser: only admins pass. */
export const requireAdmin: MiddlewareHandler<AuthEnv> = async (c, next) => {
  if (c.get('user').role !== 'admin') return problem(c, 403, { detail: 'Administrators only' });
  await next();
};
