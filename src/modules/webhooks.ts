import type { EnvVar, ModuleManifest } from './types.js';

interface Provider {
  /** The `--auth` choice that turns these webhooks on. */
  auth: string;
  /** Exported by src/modules/webhooks/<auth>/index.ts, called with `deps`. */
  router: string;
  secret: EnvVar;
  /** The secret every test app gets; the tests sign or send with it. */
  testSecret: string;
  readme: string[];
}

/** Auth modes whose provider sends user webhooks. */
const USER_WEBHOOKS = ['clerk', 'supabase'];

/**
 * The inbox every webhook provider shares (templates/webhooks): `webhook_events` (unique provider and
 * event id), recordOnce, the refusal answers and the cleanup of old deliveries.
 */
export const webhooksInbox: ModuleManifest = {
  id: 'webhooks',
  description: 'Webhook inbox: every delivery recorded once in webhook_events, old ones pruned',
  when: (a) => USER_WEBHOOKS.includes(a.auth) || a.payments === 'stripe',
  tables: () => ['webhook-events'],
  slots: {
    cleanup: [
      {
        imports: ["import { pruneWebhookEvents } from './modules/webhooks/cleanup.js';"],
        name: 'webhook deliveries older than 30 days',
        run: 'pruneWebhookEvents(deps.db, { olderThanDays: 30 })',
      },
    ],
  },
};

/**
 * User-lifecycle webhooks of an auth provider at /webhooks/<provider>: each delivery recorded in
 * webhook_events in the same transaction as its effect on users. The provider's verification and
 * payloads in webhooks-<provider>, the user changes in webhooks-users, the inbox in `webhooksInbox`.
 */
const webhooksModule = ({ auth, router, secret, testSecret, readme }: Provider): ModuleManifest => ({
  id: `webhooks-${auth}`,
  description: `User-lifecycle webhooks from ${auth} at /webhooks/${auth}, applied exactly once`,
  when: (a) => a.auth === auth,
  templateDirs: () => ['webhooks-users', `webhooks-${auth}`],
  env: [secret],
  slots: {
    testEnv: [{ name: secret.name, value: testSecret }],
    routes: [
      {
        imports: [`import { ${router} } from './modules/webhooks/${auth}/index.js';`],
        path: `/webhooks/${auth}`,
        router: `${router}(deps)`,
      },
    ],
    readme: [
      {
        title: 'User webhooks',
        body: [
          ...readme,
          '',
          'Every delivery that changes a user is recorded in `webhook_events` (unique provider and event id) in the',
          'same transaction as the change: a retried or duplicated delivery answers 200 `{"outcome":"duplicate"}` and',
          'changes nothing, even when copies arrive at once; if the change fails (500), nothing is recorded, so the',
          'next delivery of the event applies it. A deleted user is deactivated (every request answers 403) and their',
          'email, name and avatar are cleared; the row stays because `audit_log` points at it. Role and active are never',
          'taken from the provider. A delivery that fails verification answers 400 with the same body whatever',
          'failed (the reason is logged as a warning); bodies over 256 KiB answer 413. The route needs no user token',
          'and sits outside `/api`, so the per-IP rate limit does not throttle provider retries. The cleanup',
          '(`npm run cleanup`) forgets deliveries older than 30 days.',
        ].join('\n'),
      },
    ],
  },
});

export const webhooksClerk = webhooksModule({
  auth: 'clerk',
  router: 'clerkWebhooks',
  secret: {
    name: 'CLERK_WEBHOOK_SECRET',
    example: 'whsec_cmVwbGFjZS13aXRoLXlvdXItY2xlcmstc2VjcmV0',
    description: 'Signing secret of the Clerk webhook endpoint (whsec_..., Dashboard > Webhooks); required',
    schema: "z.string().regex(/^whsec_[A-Za-z0-9+/]{24,}={0,2}$/, 'must be whsec_<base64> from Clerk')",
    secret: true,
  },
  // base64 of 'a-test-webhook-signing-secret-24': no padding, nothing to escape.
  testSecret: 'whsec_YS10ZXN0LXdlYmhvb2stc2lnbmluZy1zZWNyZXQtMjQ',
  readme: [
    "`POST /webhooks/clerk` takes Clerk's user events. In the Clerk Dashboard (Webhooks > Add endpoint) point an",
    'endpoint at `https://<your-api>/webhooks/clerk`, subscribe it to `user.created`, `user.updated` and',
    '`user.deleted`, and put its signing secret in `CLERK_WEBHOOK_SECRET`; the app does not start without it.',
    'Each delivery is verified like Svix does: an HMAC-SHA256 of `svix-id.svix-timestamp.body` over the raw body,',
    'any `v1,` signature in `svix-signature` may match (compared in constant time), and `svix-timestamp` must be',
    "within 5 minutes of the server's clock. The event id is `svix-id`, the same on every retry (Svix retries a",
    'failed delivery for about a day). Events of other types answer 200 `{"outcome":"ignored"}` and are not recorded.',
  ],
});

export const webhooksSupabase = webhooksModule({
  auth: 'supabase',
  router: 'supabaseWebhooks',
  secret: {
    name: 'SUPABASE_WEBHOOK_SECRET',
    example: 'replace-with-the-output-of-openssl-rand-hex-32',
    description: 'Shared secret the auth.users database webhook sends in x-webhook-secret, 32+ characters; required',
    schema: "z.string().min(32, 'must be at least 32 characters (openssl rand -hex 32)')",
    local: 'random',
    secret: true,
  },
  testSecret: 'a-test-webhook-secret-of-at-least-32-chars',
  readme: [
    '`POST /webhooks/supabase` takes changes to `auth.users` from a Supabase database webhook. Supabase does not',
    'sign these, so the webhook sends a shared secret: generate one (`openssl rand -hex 32`), put it in',
    '`SUPABASE_WEBHOOK_SECRET` (the app does not start without it) and send it in an `x-webhook-secret` header,',
    'checked in constant time. Create the webhook in the Dashboard (Database > Webhooks: table `auth.users`,',
    'insert, update and delete, HTTP request, POST, header `x-webhook-secret`), or in SQL:',
    '',
    '```sql',
    'create trigger app_users_webhook after insert or update or delete on auth.users',
    'for each row execute function supabase_functions.http_request(',
    "  'https://<your-api>/webhooks/supabase', 'POST',",
    '  \'{"Content-Type":"application/json","x-webhook-secret":"<SUPABASE_WEBHOOK_SECRET>"}\', \'{}\', \'5000\');',
    '```',
    '',
    'Insert and update create or refresh the user (email, `full_name`/`name`, `avatar_url`/`picture` from the',
    'user metadata); delete, or an update that sets `deleted_at`, deactivates them. Database webhooks carry no',
    'delivery id, so the event id is the SHA-256 of the raw body: a resent delivery has the same id, while any',
    'real change differs in the row (its `updated_at`, at least). Send it over HTTPS: the secret travels in the',
    'request. Supabase sends each delivery once and does not retry: one that failed (app down, 5xx) shows in',
    '`net._http_response` and is not applied until the row changes again.',
  ],
});
