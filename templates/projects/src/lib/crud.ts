import { z } from '@hono/zod-openapi';
import { and, asc, type Column, desc, eq, gt, lt, or, type SQL } from 'drizzle-orm';

/** A column clients may sort by: how a row's value goes into a cursor and comes back out. */
export interface SortField<Row> {
  column: Column;
  toCursor: (row: Row) => string | number;
  fromCursor: (value: string | number) => unknown;
}

/** `?limit&offset` or `?limit&cursor`, and `sort=field` / `sort=-field` (descending) from an allowlist. */
export const listQuery = <Field extends string>(
  fields: readonly [Field, ...Field[]],
  defaultSort: `${'' | '-'}${Field}`,
) =>
  z.object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    offset: z.coerce.number().int().min(0).max(10_000).default(0),
    cursor: z.string().max(512).optional(),
    sort: z.enum([...fields, ...fields.map((f) => `-${f}` as const)] as [string, ...string[]]).default(defaultSort),
  });

const encode = (values: (string | number)[]) => Buffer.from(JSON.stringify(values)).toString('base64url');

/** A cursor we issued: `[sort value, id]`; anything else is undefined (a 400 for the caller). */
const decode = (cursor: string): [string | number, string] | undefined => {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[1] === 'string') return value as [string, string];
  } catch {}
  return undefined;
};

/**
 * Keyset pagination over `sort` then id, so pages stay stable while rows are added. Returns the
 * ORDER BY, the WHERE part that continues after `cursor`, and how to build the next cursor.
 */
export const keyset = <Row extends { id: string }>(
  fields: Record<string, SortField<Row>>,
  idColumn: Column,
  sort: string,
  cursor: string | undefined,
) => {
  const descending = sort.startsWith('-');
  const field = fields[descending ? sort.slice(1) : sort];
  if (!field) throw new Error(`not sortable: ${sort}`);
  const direction = descending ? desc : asc;
  const beyond = descending ? lt : gt;
  const from = cursor === undefined ? undefined : decode(cursor);
  const after: SQL | undefined = from
    ? or(
        beyond(field.column, field.fromCursor(from[0])),
        and(eq(field.column, field.fromCursor(from[0])), beyond(idColumn, from[1])),
      )
    : undefined;
  return {
    orderBy: [direction(field.column), direction(idColumn)],
    invalidCursor: cursor !== undefined && !from,
    after,
    nextCursor: (last: Row) => encode([field.toCursor(last), last.id]),
  };
};
