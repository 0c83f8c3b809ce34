import { z } from '@hono/zod-openapi';
import { listQuery } from '../../lib/crud.js';
import type { FileRow } from './service.js';

export const fileSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    /** Unknown (null) until a presigned upload is confirmed. */
    size: z.number().int().nullable(),
    contentType: z.string().nullable(),
    sha256: z.string().nullable(),
    status: z.enum(['pending', 'ready']),
    createdAt: z.iso.datetime(),
  })
  .openapi('File');

export const toFileJson = (f: FileRow): z.infer<typeof fileSchema> => ({
  id: f.id,
  name: f.name,
  size: f.size,
  contentType: f.contentType,
  sha256: f.sha256,
  status: f.status,
  createdAt: f.createdAt.toISOString(),
});

export const listFilesQuery = listQuery(['createdAt', 'name'], '-createdAt').extend({
  status: z.enum(['pending', 'ready']).default('ready'),
});

export const filePageSchema = z
  .object({ items: z.array(fileSchema), nextCursor: z.string().nullable() })
  .openapi('FilePage');

export const fileIdParam = z.object({ id: z.uuid() });

/** The name may be any string: it is cleaned before it is stored. */
export const createUploadSchema = z
  .object({ name: z.string().min(1).max(1024) })
  .strict()
  .openapi('CreateUpload');

export const uploadTicketSchema = z
  .object({
    fileId: z.string(),
    /** Where the file goes (relative URLs are relative to this API's origin). */
    uploadUrl: z.string(),
    /** PUT: the raw bytes are the body. POST: a multipart form of `fields` plus the file as `file`. */
    method: z.enum(['PUT', 'POST']),
    /** Only with POST: form fields to send unchanged, before the file part. */
    fields: z.record(z.string(), z.string()).optional(),
    key: z.string(),
    expiresAt: z.iso.datetime(),
  })
  .openapi('UploadTicket');

/** Documentation only: the upload handler streams the body itself, so no validator may buffer it. */
export const multipartFileBody = {
  type: 'object' as const,
  properties: { file: { type: 'string' as const, format: 'binary' } },
  required: ['file'],
};
