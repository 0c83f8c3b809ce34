import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, skipReason, type TestApp } from '../../../test/helpers.js';
import { FORM_TYPE, form } from '../../../test/multipart.js';
import { createTestScope } from '../../../test/scope.js';
import { createTestStorage } from '../../../test/storage.js';

describe.skipIf(skipReason)('stored files in the usage ledger', () => {
  let scope: Awaited<ReturnType<typeof createTestScope>>;
  let storage: Awaited<ReturnType<typeof createTestStorage>>;
  let t: TestApp;
  beforeAll(async () => {
    scope = await createTestScope();
    storage = await createTestStorage();
    t = await createTestApp({ ...scope.env, ...storage.env });
  });
  afterAll(async () => {
    await t.close();
    await storage.drop();
    await scope.close();
  });

  it('counts each stored upload and its bytes for its owner, and nothing for a refused one', async () => {
    const headers = await scope.caller();
    const upload = (...parts: { filename: string; bytes: Uint8Array }[]) =>
      t.app.request('/api/v1/files', {
        method: 'POST',
        headers: { ...headers, 'content-type': FORM_TYPE },
        body: form(...parts),
      });
    expect((await upload({ filename: 'a.txt', bytes: Buffer.alloc(1000, 'a') })).status).toBe(201);
    expect((await upload({ filename: 'b.txt', bytes: Buffer.alloc(24, 'b') })).status).toBe(201);
    // Not one file part: refused, so nothing was stored.
    expect((await upload()).status).toBe(400);

    await t.deps.usage.flush();
    const res = await t.app.request('/api/v1/usage?days=1', { headers });
    const { totals } = (await res.json()) as { totals: { metric: string; quantity: number }[] };
    expect(totals).toEqual(
      expect.arrayContaining([
        { metric: 'storage.uploads', quantity: 2 },
        { metric: 'storage.bytes', quantity: 1024 },
      ]),
    );
  });
});
