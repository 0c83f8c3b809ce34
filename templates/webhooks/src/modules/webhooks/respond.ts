import type { Context } from 'hono';
import { problem } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';

/**
 * Provider payloads are small (a user object); 256 KiB leaves room for metadata and refuses floods
 * before any signature work.
 */
export const WEBHOOK_BODY_LIMIT = 256 * 1024;

/**
 * Every unverified delivery gets the same answer, whatever failed (signature, secret, timestamp,
 * missing header), so a caller learns nothing from it. The reason goes to the log for the operator.
 */
export const refuse = (c: Context, logger: Logger, provider: string, reason: string) => {
  logger.warn({ provider, reason, requestId: c.get('requestId') }, 'webhook refused');
  return problem(c, 400, { detail: 'Webhook verification failed' });
};

/** Verified, but not a payload this endpoint understands. */
export const unreadable = (c: Context) => problem(c, 400, { detail: 'Unexpected webhook payload' });

/** The body as JSON, or undefined when it is not JSON. */
export const parseJson = (body: Uint8Array): unknown => {
  try {
    return JSON.parse(new TextDecoder().decode(body));
  } catch {
    return undefined;
  }
};
