import { z } from '@hono/zod-openapi';
import { listQuery } from '../../lib/crud.js';
import type { Project } from './service.js';

export const projectSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    deletedAt: z.iso.datetime().nullable(),
  })
  .openapi('Project');

export const toProjectJson = (p: Project): z.infer<typeof projectSchema> => ({
  id: p.id,
  name: p.name,
  description: p.description,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
  deletedAt: p.deletedAt?.toISOString() ?? null,
});

export const createProjectSchema = z
  .object({ name: z.string().trim().min(1).max(200), description: z.string().max(2000).nullable().optional() })
  .strict()
  .openapi('CreateProject');

export const updateProjectSchema = createProjectSchema.partial().openapi('UpdateProject');

export const listProjectsQuery = listQuery(['createdAt', 'name'], '-createdAt').extend({
  name: z.string().trim().min(1).max(200).optional(),
  deleted: z.stringbool().default(false),
});

export const projectPageSchema = z
  .object({ items: z.array(projectSchema), nextCursor: z.string().nullable() })
  .openapi('ProjectPage');

export const projectIdParam = z.object({ id: z.uuid() });
