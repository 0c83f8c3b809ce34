import { lt } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { projects } from '../../db/schema/projects.js';

/** Deletes for good the projects soft-deleted more than `olderThanDays` ago: past restoring. */
export const purgeDeletedProjects = async (db: Db, { olderThanDays }: { olderThanDays: number }) => {
  const cutoff = new Date(Date.now() - olderThanDays * 86_400_000);
  const purged = await db.delete(projects).where(lt(projects.deletedAt, cutoff)).returning({ id: projects.id });
  return purged.length;
};
