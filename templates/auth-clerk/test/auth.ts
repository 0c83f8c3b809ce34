import type { JWTPayload } from 'jose';
import { createKey, signToken, startJwksServer } from './jwks.js';

/** The origin of the frontend the test tokens were issued to (their `azp`). */
export const TEST_PARTY = 'https://app.test';

/**
 * Env for an app in `clerk` mode and session tokens it accepts, for user `sub`: a local server plays
 * the instance's Frontend API, publishing an RS256 key at /.well-known/jwks.json. The tokens carry
 * `email` and `name` as a session token customized in the Clerk dashboard would (by default it has neither).
 */
export const createTestAuth = async () => {
  const server = await startJwksServer('/.well-known/jwks.json');
  const key = await createKey('ins_test_1');
  server.publish(key);
  return {
    env: { CLERK_FRONTEND_API_URL: server.origin },
    server,
    key,
    token: (sub: string, claims: JWTPayload = {}) =>
      signToken(key, {
        sub,
        iss: server.origin,
        sid: `sess_${sub}`,
        azp: TEST_PARTY,
        v: 2,
        email: `${sub}@example.com`,
        ...claims,
      }),
    close: () => server.close(),
  };
};
