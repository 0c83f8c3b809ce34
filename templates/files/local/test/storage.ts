import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh storage for one test file: for local storage, a temporary folder. `objects()` lists what
 * the storage holds, so a test can check that a refused upload left nothing behind.
 */
export const createTestStorage = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'files-test-'));
  return {
    env: { STORAGE_DIR: dir },
    /** Every file in the folder: objects, their metadata and any partial write. */
    objects: () => readdir(dir),
    drop: () => rm(dir, { recursive: true, force: true }),
  };
};
