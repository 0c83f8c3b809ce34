import { inArray } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, skipReason } from '../../../test/helpers.js';
import { rowOwner } from '../../../test/scope.js';
import { runCleanup } from '../../cleanup.js';
import { projects } from '../../db/schema/projects.js';
import { purgeDeletedProjects } from './cleanup.js';

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

describe.skipIf(skipReason)('projects cleanup', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  // A fresh database per test: the counts below are of every row.
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const project = async (deletedAt: Date | null) => {
    const [row] = await t.deps.db
      .insert(projects)
      .values({ ...(await rowOwner(t.deps.db)), name: 'p', deletedAt })
      .returning();
    return row?.id ?? '';
  };

  it('purges projects soft-deleted longer ago than the grace period, and only those', async () => {
    const old = await project(daysAgo(31));
    const recent = await project(daysAgo(29));
    const live = await project(null);
    expect(await purgeDeletedProjects(t.deps.db, { olderThanDays: 30 })).toBe(1);
    const left = await t.deps.db
      .select({ id: projects.id })
      .from(projects)
      .where(inArray(projects.id, [old, recent, live]));
    expect(left.map((r) => r.id).sort()).toEqual([recent, live].sort());
  });

  it('runs as part of the cleanup', async () => {
    await project(daysAgo(40));
    const { removed } = await runCleanup(t.deps);
    expect(removed).toMatchObject({ 'soft-deleted projects': 1 });
  });
});
