import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipReason, useTestApp } from '../../../test/helpers.js';
import { projectsClient } from '../../../test/projects.js';
import { createTestScope } from '../../../test/scope.js';

describe.skipIf(skipReason)('projects belong to their owner', () => {
  let scope: Awaited<ReturnType<typeof createTestScope>>;
  beforeAll(async () => {
    scope = await createTestScope();
  });
  afterAll(() => scope.close());
  const t = useTestApp(() => scope.env);

  it("answers 404 for another user's project, and never lists it", async () => {
    const owner = projectsClient(t.app, await scope.caller());
    const intruder = projectsClient(t.app, await scope.caller());
    const id = await owner.create('Private');
    expect((await intruder.call(`/projects/${id}`)).status).toBe(404);
    expect((await intruder.call(`/projects/${id}`, 'PATCH', { name: 'mine' })).status).toBe(404);
    expect((await intruder.call(`/projects/${id}`, 'DELETE')).status).toBe(404);
    expect((await intruder.call(`/projects/${id}/restore`, 'POST')).status).toBe(404);
    expect((await intruder.list('limit=100')).items.map((p) => p.id)).not.toContain(id);
    expect((await owner.call(`/projects/${id}`)).status).toBe(200);
  });

  it('refuses a caller without a token', async () => {
    const anonymous = projectsClient(t.app, {});
    expect((await anonymous.call('/projects')).status).toBe(401);
  });
});
