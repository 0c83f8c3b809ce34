import { describe, expect, it } from 'vitest';
import { createTestApp, skipReason } from '../test/helpers.js';
import { runCleanup } from './cleanup.js';

describe.skipIf(skipReason)('cleanup', () => {
  it('runs every task and logs what each removed', async () => {
    const t = await createTestApp({ LOG_LEVEL: 'info' });
    try {
      const { removed } = await runCleanup(t.deps);
      for (const count of Object.values(removed)) expect(count).toBe(0);
      expect(t.logs).toContainEqual(expect.objectContaining({ msg: 'cleanup done', removed }));
    } finally {
      await t.close();
    }
  });
});
