import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** The example resource; copy it for your own. Rows are soft-deleted (`deletedAt`) so they can be restored. */
export const projects = pgTable(
  'projects',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    description: text('description'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [index('projects_created_at_idx').on(t.createdAt)],
);
