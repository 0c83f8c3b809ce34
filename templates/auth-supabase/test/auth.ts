import type { JWTPayload } from 'jose';
import { createKey, signToken, startJwksServer } from './jwks.js';

/**
 * Env for an app in `supabase` mode and tokens it accepts, for user `sub`: a local server plays the
 * project, publishing an ES256 key at <SUPABASE_URL>/auth/v1/.well-known/jwks.json.
 */
export const createTestAuth = async () => {
  const server = await startJwksServer('/auth/v1/.well-known/jwks.json');
  const key = await createKey('supabase-1', 'ES256');
  server.publish(key);
  const issuer = `${server.origin}/auth/v1`;
  return {
    env: { SUPABASE_URL: server.origin },
    server,
    key,
    token: (sub: string, claims: JWTPayload = {}) =>
      signToken(key, {
        sub,
        iss: issuer,
        aud: 'authenticated',
        role: 'authenticated',
        email: `${sub}@example.com`,
        ...claims,
      }),
    close: () => server.close(),
  };
};
