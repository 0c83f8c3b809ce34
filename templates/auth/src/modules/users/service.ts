import { count, desc, eq, like, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { auditLog } from '../../db/schema/audit-log.js';
import { type User, users } from '../../db/schema/users.js';
import { step, transaction } from '../../db/transaction.js';
import type { Claims } from '../../lib/auth/verify.js';

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

export const createUsersService = (db: Db) => ({
  /**
   * The user behind verified claims, created on first sight. One statement, so concurrent first
   * requests race on the unique external id and all get the same row.
   */
  async fromClaims(claims: Claims): Promise<User> {
    const [existing] = await db.select().from(users).where(eq(users.externalId, claims.sub)).limit(1);
    if (existing) return existing;
    const [user] = await db
      .insert(users)
      .values({
        externalId: claims.sub,
        email: text(claims.email),
        name: text(claims.name),
        avatarUrl: text(claims.picture),
      })
      .onConflictDoUpdate({ target: users.externalId, set: { externalId: sql`excluded.external_id` } })
      .returning();
    return user as User;
  },

  async update(id: string, changes: Partial<Pick<User, 'name' | 'avatarUrl' | 'role' | 'active'>>) {
    const [user] = await db
      .update(users)
      .set({ ...changes, updatedAt: new Date() })
      .where(eq(users.id, id))
      .returning();
    return user;
  },

  /** Newest first; `q` matches email or name, case-insensitively. */
  async list({ limit, offset, q }: { limit: number; offset: number; q?: string }) {
    const pattern = q ? `%${q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%` : undefined;
    const where = pattern
      ? or(
          like(sql`lower(${users.email})`, sql`${pattern} escape '\\'`),
          like(sql`lower(${users.name})`, sql`${pattern} escape '\\'`),
        )
      : undefined;
    const [items, [total]] = await Promise.all([
      db.select().from(users).where(where).orderBy(desc(users.createdAt), desc(users.id)).limit(limit).offset(offset),
      db.select({ value: count() }).from(users).where(where),
    ]);
    return { items, total: total?.value ?? 0 };
  },

  /**
   * An administrator's change to a user and its audit_log row, in one transaction: no change goes
   * unrecorded. Undefined when there is no such user.
   */
  adminUpdate(
    id: string,
    changes: Partial<Pick<User, 'role' | 'active'>>,
    by: { actorId: string; requestId: string },
  ): Promise<User | undefined> {
    return transaction(db, function* (tx) {
      const [user] = yield* step(
        tx
          .update(users)
          .set({ ...changes, updatedAt: new Date() })
          .where(eq(users.id, id))
          .returning(),
      );
      if (!user) return undefined;
      const entry = { ...by, action: 'user.update', target: `user:${id}`, details: changes };
      yield* step(tx.insert(auditLog).values(entry).returning({ id: auditLog.id }));
      return user;
    });
  },
});

export type UsersService = ReturnType<typeof createUsersService>;
