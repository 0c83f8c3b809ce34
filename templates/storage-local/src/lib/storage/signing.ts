import { createHmac, timingSafeEqual } from 'node:crypto';

/** A signature is bound to what it allows, so a download URL cannot be replayed as an upload. */
export type SignedAction = 'upload' | 'download';

export type Verdict = 'valid' | 'expired' | 'invalid';

export interface SignedQuery {
  /** Unix time in seconds after which the URL stops working. */
  expires?: string;
  signature?: string;
}

export const sign = (secret: string, action: SignedAction, key: string, expires: number): string =>
  createHmac('sha256', secret).update(`${action}\n${key}\n${expires}`).digest('base64url');

/**
 * Checks the signature first, so a tampered expiry reads as invalid rather than expired, and
 * compares in constant time, so response timing reveals nothing about the expected value.
 */
export const verify = (
  secret: string,
  action: SignedAction,
  key: string,
  query: SignedQuery,
  nowMs: number,
): Verdict => {
  if (!query.expires || !/^\d{1,12}$/.test(query.expires) || !query.signature) return 'invalid';
  const expires = Number(query.expires);
  const expected = Buffer.from(sign(secret, action, key, expires));
  const given = Buffer.from(query.signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
  return nowMs < expires * 1000 ? 'valid' : 'expired';
};

/** Signs URLs in development and tests only: it is public (it is right here), so production refuses it. */
export const DEV_SIGNING_SECRET = 'dev-only-storage-signing-secret-not-for-production';

/** STORAGE_SIGNING_SECRET, or the development secret anywhere but production. */
export const signingSecretFrom = (env: { NODE_ENV: string; STORAGE_SIGNING_SECRET?: string | undefined }): string => {
  if (env.STORAGE_SIGNING_SECRET) return env.STORAGE_SIGNING_SECRET;
  if (env.NODE_ENV === 'production') {
    throw new Error(
      'STORAGE_SIGNING_SECRET is required in production: 32+ random characters (openssl rand -base64 32)',
    );
  }
  return DEV_SIGNING_SECRET;
};
