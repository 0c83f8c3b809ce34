import type { z } from '@hono/zod-openapi';
import { problemSchema } from './errors.js';

/** A response with a JSON body, for createRoute's `responses`. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** An error response: an RFC 9457 problem+json body. */
export const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});

/** A required JSON request body, for createRoute's `request`. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});
