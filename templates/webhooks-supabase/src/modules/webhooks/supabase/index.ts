import { createHash } from 'node:crypto';
import type { AppDeps } from '../../../deps.js';
import { bodyLimit } from '../../../lib/body-limit.js';
import { createRouter } from '../../../lib/router.js';
import { recordOnce } from '../record.js';
import { parseJson, refuse, unreadable, WEBHOOK_BODY_LIMIT } from '../respond.js';
import { readSupabaseEvent } from './events.js';
import { sameSecret } from './secret.js';

/** The header the database webhook must send, holding SUPABASE_WEBHOOK_SECRET. */
export const SECRET_HEADER = 'x-webhook-secret';

/**
 * POST /webhooks/supabase: a database webhook on auth.users. Insert and update create or refresh the
 * user; delete (or a soft delete, `deleted_at` set) deactivates them. Supabase does not sign these,
 * so the webhook sends a shared secret in a header of its own. Outside /api, so the rate limit of
 * browser traffic does not apply.
 */
export const supabaseWebhooks = ({ db, env, logger }: AppDeps) => {
  const router = createRouter();
  router.use(bodyLimit(WEBHOOK_BODY_LIMIT));
  router.post('/', async (c) => {
    if (!sameSecret(c.req.header(SECRET_HEADER), env.SUPABASE_WEBHOOK_SECRET)) {
      return refuse(c, logger, 'supabase', `missing or wrong ${SECRET_HEADER}`);
    }
    const body = new Uint8Array(await c.req.arrayBuffer());
    const event = readSupabaseEvent(parseJson(body));
    if (!event) return unreadable(c);
    // Database webhooks carry no delivery id. The body is the event (row before and after, updated_at
    // included), so its hash names it: a resent delivery has the same one, a new change another.
    const eventId = createHash('sha256').update(body).digest('hex');
    const outcome = await recordOnce(db, { provider: 'supabase', eventId, type: event.type }, event.effect);
    return c.json({ outcome }, 200);
  });
  return router;
};
