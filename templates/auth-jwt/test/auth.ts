import { type JWTPayload, SignJWT } from 'jose';

const ISSUER = 'https://issuer.test/';
const AUDIENCE = 'https://api.test';
const SECRET = 'a-test-secret-of-at-least-32-bytes!';

/** Env for an app in `jwt` mode (HS256) and tokens it accepts, for user `sub`. */
export const createTestAuth = async () => {
  const key = new TextEncoder().encode(SECRET);
  return {
    env: { AUTH_JWT_SECRET: SECRET, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE },
    token: (sub: string, claims: JWTPayload = {}) =>
      new SignJWT({ email: `${sub}@example.com`, ...claims })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(sub)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(key),
    close: async () => {},
  };
};
