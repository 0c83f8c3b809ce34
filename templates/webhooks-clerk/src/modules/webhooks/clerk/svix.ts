import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a delivery's timestamp may be from this server's clock, either way: Svix's own tolerance. */
export const TOLERANCE_SECONDS = 5 * 60;

/** The signing key inside a `whsec_<base64>` secret. */
export const svixKey = (secret: string): Buffer => Buffer.from(secret.replace(/^whsec_/, ''), 'base64');

export interface SvixHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

/**
 * Why a delivery fails Svix verification, or undefined when it passes. It passes when its timestamp is
 * within 5 minutes of `nowMs` and one of the space-separated `v1,<base64>` signatures is the
 * HMAC-SHA256 of `<svix-id>.<svix-timestamp>.<raw body>` under `key`, compared in constant time.
 * The reason is for the log only.
 */
export const svixRefusal = (key: Buffer, headers: SvixHeaders, body: Uint8Array, nowMs: number) => {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) return 'missing svix-id, svix-timestamp or svix-signature';
  // The id becomes a database key; Svix's are short (msg_ and 27 characters).
  if (id.length > 128) return 'svix-id too long';
  if (!/^\d{1,12}$/.test(timestamp)) return 'svix-timestamp is not a number of seconds';
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) return 'svix-timestamp outside tolerance';
  // Compared as the base64 text Svix sends: decoding first would let other spellings of the same bytes
  // through (Buffer skips junk characters, takes url-safe ones and missing padding).
  const expected = Buffer.from(createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64'));
  const matches = signature.split(' ').some((entry) => {
    const [version, value, ...rest] = entry.split(',');
    if (version !== 'v1' || !value || rest.length > 0) return false;
    const given = Buffer.from(value);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? undefined : 'no matching signature';
};
