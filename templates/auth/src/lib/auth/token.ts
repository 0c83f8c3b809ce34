import type { Context } from 'hono';

/** Reads the access token of a request; tokens never come from the query string (it ends up in logs). */
export type TokenReader = (c: Context) => string | undefined;

/** Three base64url parts: anything else is refused before it reaches the verifier. */
export const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

const BEARER = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/;

/** `Authorization: Bearer <jwt>`, nothing else. */
export const bearerToken: TokenReader = (c) => BEARER.exec(c.req.header('authorization') ?? '')?.[1];
