import { z } from '@hono/zod-openapi';
import type { User } from '../../db/schema/users.js';

export const userSchema = z
  .object({
    id: z.string(),
    email: z.string().nullable(),
    name: z.string().nullable(),
    avatarUrl: z.string().nullable(),
    role: z.enum(['user', 'admin']),
    active: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('User');

/** The public view of a row: billing fields and the provider id stay on the server. */
export const toUserJson = (u: User): z.infer<typeof userSchema> => ({
  id: u.id,
  email: u.email,
  name: u.name,
  avatarUrl: u.avatarUrl,
  role: u.role,
  active: u.active,
  createdAt: u.createdAt.toISOString(),
  updatedAt: u.updatedAt.toISOString(),
});

export const updateMeSchema = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    avatarUrl: z
      .url({ protocol: /^https$/ })
      .max(2048)
      .nullable()
      .optional(),
  })
  .strict()
  .openapi('UpdateMe');

export const adminUpdateUserSchema = z
  .object({ role: z.enum(['user', 'admin']).optional(), active: z.boolean().optional() })
  .strict()
  .refine((body) => body.role !== undefined || body.active !== undefined, { error: 'nothing to change' })
  .openapi('AdminUpdateUser');

export const listUsersQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
  q: z.string().trim().min(1).max(100).optional(),
});

export const userPageSchema = z
  .object({ items: z.array(userSchema), total: z.number().int(), limit: z.number().int(), offset: z.number().int() })
  .openapi('UserPage');
