import type { AppDeps } from '../../../deps.js';
import { bodyLimit } from '../../../lib/body-limit.js';
import { createRouter } from '../../../lib/router.js';
import { recordOnce } from '../record.js';
import { parseJson, refuse, unreadable, WEBHOOK_BODY_LIMIT } from '../respond.js';
import { readClerkEvent } from './events.js';
import { svixKey, svixRefusal } from './svix.js';

/**
 * POST /webhooks/clerk: user.created and user.updated create or refresh the user, user.deleted
 * deactivates them. Authenticated by its Svix signature, not by a user token, and outside /api, so
 * the rate limit of browser traffic does not throttle Clerk's retries.
 */
export const clerkWebhooks = ({ db, env, logger }: AppDeps) => {
  const key = svixKey(env.CLERK_WEBHOOK_SECRET);
  const router = createRouter();
  router.use(bodyLimit(WEBHOOK_BODY_LIMIT));
  router.post('/', async (c) => {
    // The signature covers the exact bytes sent, so they are verified before anything parses them.
    const body = new Uint8Array(await c.req.arrayBuffer());
    const id = c.req.header('svix-id') ?? '';
    const headers = {
      id,
      timestamp: c.req.header('svix-timestamp'),
      signature: c.req.header('svix-signature'),
    };
    const refusal = svixRefusal(key, headers, body, Date.now());
    if (refusal) return refuse(c, logger, 'clerk', refusal);
    const event = readClerkEvent(parseJson(body));
    if (!event) return unreadable(c);
    // Other types (session.*, organization.*, ...) change nothing here, so there is nothing to record.
    if (!event.effect) return c.json({ outcome: 'ignored' }, 200);
    const outcome = await recordOnce(db, { provider: 'clerk', eventId: id, type: event.type }, event.effect);
    return c.json({ outcome }, 200);
  });
  return router;
};
