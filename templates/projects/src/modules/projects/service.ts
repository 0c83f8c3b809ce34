import { and, eq, isNotNull, isNull, like, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { projects } from '../../db/schema/projects.js';
import { keyset, type SortField } from '../../lib/crud.js';
import { inScope, type Scope } from '../../lib/scope.js';

export type Project = typeof projects.$inferSelect;

/** The sort allowlist; add a field here to make it sortable. */
export const SORT_FIELDS: Record<'createdAt' | 'name', SortField<Project>> = {
  createdAt: {
    column: projects.createdAt,
    toCursor: (p) => p.createdAt.getTime(),
    fromCursor: (v) => new Date(Number(v)),
  },
  name: { column: projects.name, toCursor: (p) => p.name, fromCursor: String },
};

export interface ListOptions {
  limit: number;
  offset: number;
  cursor?: string;
  sort: string;
  /** Filters from the allowlist: name contains (case-insensitive), soft-deleted rows instead of live ones. */
  name?: string;
  deleted?: boolean;
}

/** Live rows, or the soft-deleted ones. */
const deletedIs = (deleted: boolean) => (deleted ? isNotNull(projects.deletedAt) : isNull(projects.deletedAt));

const contains = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

export const createProjectsService = (db: Db) => {
  const find = async (scope: Scope, id: string, deleted: boolean) => {
    const [row] = await db
      .select()
      .from(projects)
      .where(and(inScope(projects, scope), eq(projects.id, id), deletedIs(deleted)))
      .limit(1);
    return row;
  };

  const change = async (scope: Scope, id: string, deleted: boolean, values: Partial<Project>) => {
    const [row] = await db
      .update(projects)
      .set({ ...values, updatedAt: new Date() })
      .where(and(inScope(projects, scope), eq(projects.id, id), deletedIs(deleted)))
      .returning();
    return row;
  };

  return {
    get: (scope: Scope, id: string) => find(scope, id, false),

    /** Offset or cursor pagination; `nextCursor` is null on the last page. */
    async list(scope: Scope, options: ListOptions) {
      const page = keyset(SORT_FIELDS, projects.id, options.sort, options.cursor);
      if (page.invalidCursor) return undefined;
      const rows = await db
        .select()
        .from(projects)
        .where(
          and(
            inScope(projects, scope),
            deletedIs(options.deleted ?? false),
            options.name ? like(sql`lower(${projects.name})`, sql`${contains(options.name)} escape '\\'`) : undefined,
            page.after,
          ),
        )
        .orderBy(...page.orderBy)
        .limit(options.limit + 1)
        .offset(options.cursor ? 0 : options.offset);
      const items = rows.slice(0, options.limit);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > options.limit && last ? page.nextCursor(last) : null };
    },

    async create(scope: Scope, input: { name: string; description?: string | null }) {
      const [row] = await db
        .insert(projects)
        .values({ ...input, ...scope })
        .returning();
      return row as Project;
    },

    update: (scope: Scope, id: string, input: { name?: string; description?: string | null }) =>
      change(scope, id, false, input),
    /** Soft delete: the row stays, hidden from get and list, until restored. */
    remove: (scope: Scope, id: string) => change(scope, id, false, { deletedAt: new Date() }),
    restore: (scope: Scope, id: string) => change(scope, id, true, { deletedAt: null }),
  };
};

export type ProjectsService = ReturnType<typeof createProjectsService>;
