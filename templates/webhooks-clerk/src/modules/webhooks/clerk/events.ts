import { z } from 'zod';
import { fittingName, httpsUrl } from '../../users/profile.js';
import type { WebhookEffect } from '../record.js';
import { deactivateUser, upsertUser } from '../users.js';

/** The parts of Clerk's user object this app keeps. */
const clerkUser = z.object({
  id: z.string().min(1).max(255),
  email_addresses: z.array(z.object({ id: z.string(), email_address: z.string() })).default([]),
  primary_email_address_id: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  image_url: z.string().nullish(),
});

/** user.deleted carries only the id. */
const deletedUser = z.object({ id: z.string().min(1).max(255) });

const clerkEvent = z.object({ type: z.string().min(1).max(100), data: z.unknown() });

const profileOf = (user: z.infer<typeof clerkUser>) => ({
  externalId: user.id,
  email: user.email_addresses.find((e) => e.id === user.primary_email_address_id)?.email_address ?? null,
  name: fittingName([user.first_name, user.last_name].filter(Boolean).join(' ')),
  avatarUrl: httpsUrl(user.image_url),
});

/** What a Clerk event does: `undefined` when it is malformed; `effect` undefined for events this app ignores. */
export const readClerkEvent = (payload: unknown): { type: string; effect: WebhookEffect | undefined } | undefined => {
  const event = clerkEvent.safeParse(payload);
  if (!event.success) return undefined;
  const { type, data } = event.data;
  if (type === 'user.created' || type === 'user.updated') {
    const user = clerkUser.safeParse(data);
    return user.success ? { type, effect: (tx) => upsertUser(tx, profileOf(user.data)) } : undefined;
  }
  if (type === 'user.deleted') {
    const user = deletedUser.safeParse(data);
    return user.success ? { type, effect: (tx) => deactivateUser(tx, user.data.id) } : undefined;
  }
  return { type, effect: undefined };
};
