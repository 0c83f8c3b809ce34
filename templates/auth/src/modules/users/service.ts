import { count, desc, eq, like, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { auditLog } from '../../db/schema/audit-log.js';
import { type User, users } from '../../db/schema/users.js';
import { step, transaction } from '../../db/transaction.js';
import { userFromClaims } from './from-claims.js';

export const createUsersService = (db: Db) => ({
  /** The user behind verified claims, created on first sight (from-claims.ts). */
  fromClaims: userFromClaims(db),

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
