import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipReason, useTestApp } from '../../../test/helpers.js';
import { FORM_TYPE, form } from '../../../test/multipart.js';
import { createTestScope } from '../../../test/scope.js';
import { createTestStorage } from '../../../test/storage.js';

describe.skipIf(skipReason)('files belong to their owner', () => {
  let scope: Awaited<ReturnType<typeof createTestScope>>;
  let storage: Awaited<ReturnType<typeof createTestStorage>>;
  beforeAll(async () => {
    scope = await createTestScope();
    storage = await createTestStorage();
  });
  afterAll(async () => {
    await storage.drop();
    await scope.close();
  });
  const t = useTestApp(() => ({ ...scope.env, ...storage.env }));

  it("answers 404 for another user's file, and never lists it", async () => {
    const [owner, intruder] = [await scope.caller(), await scope.caller()];
    const call = (caller: Record<string, string>, path: string, method = 'GET') =>
      t.app.request(`/api/v1${path}`, { method, headers: caller });
    const uploaded = await t.app.request('/api/v1/files', {
      method: 'POST',
      headers: { ...owner, 'content-type': FORM_TYPE },
      body: form({ filename: 'private.txt', bytes: Buffer.from('mine') }),
    });
    expect(uploaded.status).toBe(201);
    const { id } = (await uploaded.json()) as { id: string };
    expect((await call(intruder, `/files/${id}`)).status).toBe(404);
    expect((await call(intruder, `/files/${id}/content`)).status).toBe(404);
    expect((await call(intruder, `/files/${id}`, 'DELETE')).status).toBe(404);
    expect((await call(intruder, `/files/${id}/confirm`, 'POST')).status).toBe(404);
    const listed = (await (await call(intruder, '/files?limit=100')).json()) as { items: { id: string }[] };
    expect(listed.items.map((f) => f.id)).not.toContain(id);
    expect((await call(owner, `/files/${id}`)).status).toBe(200);
    expect((await t.app.request('/api/v1/files')).status).toBe(401);
  });
});
