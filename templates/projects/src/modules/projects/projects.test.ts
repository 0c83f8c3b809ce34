import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipReason, useTestApp } from '../../../test/helpers.js';
import { projectsClient } from '../../../test/projects.js';
import { createTestScope } from '../../../test/scope.js';

describe.skipIf(skipReason)('projects', () => {
  let scope: Awaited<ReturnType<typeof createTestScope>>;
  beforeAll(async () => {
    scope = await createTestScope();
  });
  afterAll(() => scope.close());
  const t = useTestApp(() => scope.env);
  const caller = async () => projectsClient(t.app, await scope.caller());

  it('creates, reads and updates, validating input', async () => {
    const u1 = await caller();
    const res = await u1.call('/projects', 'POST', { name: 'Apollo', description: 'moon' });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect(await (await u1.call(`/projects/${id}`)).json()).toMatchObject({ name: 'Apollo', description: 'moon' });
    const patched = await u1.call(`/projects/${id}`, 'PATCH', { name: 'Artemis' });
    expect(await patched.json()).toMatchObject({ name: 'Artemis' });
    expect((await u1.call('/projects', 'POST', { name: '' })).status).toBe(400);
  });

  it('pages by offset and by cursor, filters and sorts from the allowlist', async () => {
    const pager = await caller();
    for (const name of ['c-page', 'a-page', 'e-page', 'b-page', 'd-page']) await pager.create(name);
    const byName = await pager.list('name=PAGE&sort=name&limit=2');
    expect(byName.items.map((p) => p.name)).toEqual(['a-page', 'b-page']);
    const next = await pager.list(`name=page&sort=name&limit=2&cursor=${byName.nextCursor}`);
    expect(next.items.map((p) => p.name)).toEqual(['c-page', 'd-page']);
    const last = await pager.list(`name=page&sort=name&limit=2&cursor=${next.nextCursor}`);
    expect(last).toMatchObject({ items: [{ name: 'e-page' }], nextCursor: null });
    const offset = await pager.list('name=page&sort=-name&limit=2&offset=1');
    expect(offset.items.map((p) => p.name)).toEqual(['d-page', 'c-page']);
    expect((await pager.call('/projects?sort=description')).status).toBe(400);
    expect((await pager.call('/projects?cursor=garbage')).status).toBe(400);
  });

  it('soft-deletes and restores', async () => {
    const u2 = await caller();
    const id = await u2.create('Temporary');
    expect((await u2.call(`/projects/${id}`, 'DELETE')).status).toBe(204);
    expect((await u2.call(`/projects/${id}`)).status).toBe(404);
    expect((await u2.list('deleted=true&name=Temporary')).items.map((p) => p.id)).toEqual([id]);
    const restored = await u2.call(`/projects/${id}/restore`, 'POST');
    expect(await restored.json()).toMatchObject({ id, deletedAt: null });
    expect((await u2.call(`/projects/${id}`)).status).toBe(200);
    expect((await u2.call(`/projects/${id}/restore`, 'POST')).status).toBe(404);
  });
});
