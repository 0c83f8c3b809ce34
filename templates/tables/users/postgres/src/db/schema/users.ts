import { boolean, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const userRole = pgEnum('user_role', ['user', 'admin']);

/** One row per identity the auth provider vouched for, created from the token's claims on first request. */
export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** The token's `sub`: the provider's id for this person. */
  externalId: text('external_id').notNull().unique(),
  email: text('email'),
  name: text('name'),
  avatarUrl: text('avatar_url'),
  role: userRole('role').notNull().default('user'),
  /** Deactivated users are refused everywhere (403). */
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type User = typeof users.$inferSelect;
