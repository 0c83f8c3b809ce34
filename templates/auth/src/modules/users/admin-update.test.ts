import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, skipReason } from '../../../test/helpers.js';
import { auditLog } from '../../db/schema/audit-log.js';
import { users } from '../../db/schema/users.js';

describe.skipIf(skipReason)('admin update and its audit record', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const newUser = async (externalId: string) => {
    const [user] = await t.deps.db.insert(users).values({ externalId }).returning();
    return user as NonNullable<typeof user>;
  };
  const auditOf = (id: string) =>
    t.deps.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.target, `user:${id}`));

  it('changes the user and records who did it, together', async () => {
    const [admin, target] = [await newUser('admin-1'), await newUser('target-1')];
    const user = await t.deps.auth.users.adminUpdate(
      target.id,
      { role: 'admin' },
      { actorId: admin.id, requestId: 'r-1' },
    );
    expect(user).toMatchObject({ id: target.id, role: 'admin' });
    expect(await auditOf(target.id)).toMatchObject([{ actorId: admin.id, action: 'user.update', requestId: 'r-1' }]);
  });

  it('rolls the change back when its audit record cannot be written', async () => {
    const target = await newUser('target-2');
    // No such actor: the audit row breaks its foreign key, after the update already ran.
    const attempt = t.deps.auth.users.adminUpdate(
      target.id,
      { active: false },
      { actorId: crypto.randomUUID(), requestId: 'r-2' },
    );
    await expect(attempt).rejects.toThrow();
    const [after] = await t.deps.db.select().from(users).where(eq(users.id, target.id));
    expect(after).toMatchObject({ active: true, updatedAt: target.updatedAt });
    expect(await auditOf(target.id)).toEqual([]);
  });

  it('records nothing for a user that does not exist', async () => {
    const admin = await newUser('admin-3');
    const missing = crypto.randomUUID();
    const user = await t.deps.auth.users.adminUpdate(
      missing,
      { active: false },
      { actorId: admin.id, requestId: 'r-3' },
    );
    expect(user).toBeUndefined();
    expect(await auditOf(missing)).toEqual([]);
  });
});
