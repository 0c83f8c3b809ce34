import { z } from 'zod';
import { fittingName, httpsUrl } from '../../users/profile.js';
import type { WebhookEffect } from '../record.js';
import { deactivateUser, upsertUser } from '../users.js';

/** The parts of an auth.users row this app keeps. */
const authUser = z.object({
  id: z.string().min(1).max(255),
  email: z.string().nullish(),
  raw_user_meta_data: z.record(z.string(), z.unknown()).nullish(),
  // Set when Supabase soft-deletes the user.
  deleted_at: z.string().nullish(),
});

/** A Supabase database webhook on auth.users: { type, schema, table, record, old_record }. */
const onAuthUsers = { schema: z.literal('auth'), table: z.literal('users') };
const databaseEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('INSERT'), ...onAuthUsers, record: authUser }),
  z.object({ type: z.literal('UPDATE'), ...onAuthUsers, record: authUser }),
  z.object({ type: z.literal('DELETE'), ...onAuthUsers, old_record: authUser }),
]);

const firstString = (...values: unknown[]) => values.find((v): v is string => typeof v === 'string' && v !== '');

const profileOf = (user: z.infer<typeof authUser>) => {
  const meta = user.raw_user_meta_data ?? {};
  return {
    externalId: user.id,
    email: user.email || null,
    // User metadata is the user's to write (supabase.auth.updateUser), so it gets PATCH /me's limits.
    name: fittingName(firstString(meta.full_name, meta.name)),
    avatarUrl: httpsUrl(firstString(meta.avatar_url, meta.picture)),
  };
};

/** What a change to auth.users does here, or undefined when the payload is not one. */
export const readSupabaseEvent = (payload: unknown): { type: string; effect: WebhookEffect } | undefined => {
  const event = databaseEvent.safeParse(payload);
  if (!event.success) return undefined;
  const { data } = event;
  if (data.type === 'DELETE') return { type: data.type, effect: (tx) => deactivateUser(tx, data.old_record.id) };
  const user = data.record;
  if (user.deleted_at) return { type: data.type, effect: (tx) => deactivateUser(tx, user.id) };
  return { type: data.type, effect: (tx) => upsertUser(tx, profileOf(user)) };
};
