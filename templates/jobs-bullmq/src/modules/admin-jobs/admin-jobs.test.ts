import { describe, expect, it } from 'vitest';
import { createTestApp, skipReason, useTestApp } from '../../../test/helpers.js';
import { nextSettled, startFailingWorker } from '../../../test/jobs.js';

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789abcdef';
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe.skipIf(skipReason)('admin jobs endpoints', () => {
  const t = useTestApp(() => ({ ADMIN_TOKEN }));

  /** Runs one job that fails for good, through a real worker on the app's queue; returns its id. */
  const failOneJob = async () => {
    const running = startFailingWorker(t.deps);
    const settled = nextSettled(running.worker);
    const id = await t.deps.jobs.enqueue('daily-report', {}, { attempts: 1 });
    await settled;
    await running.stop(1_000);
    return id;
  };

  it('refuses requests without the admin token', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer wrong' }, { authorization: ADMIN_TOKEN }];
    for (const headers of attempts) {
      const res = await t.app.request('/api/v1/admin/jobs', { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
    const retry = await t.app.request('/api/v1/admin/jobs/1/retry', { method: 'POST' });
    expect(retry.status).toBe(401);
  });

  it('is off while ADMIN_TOKEN is unset', async () => {
    const off = await createTestApp();
    try {
      const res = await off.app.request('/api/v1/admin/jobs', { headers: auth });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ detail: expect.stringContaining('ADMIN_TOKEN') });
    } finally {
      await off.close();
    }
  });

  it('counts jobs by state', async () => {
    await t.deps.jobs.enqueue('daily-report', {});
    await t.deps.jobs.enqueueIn(60_000, 'daily-report', {});

    const res = await t.app.request('/api/v1/admin/jobs', { headers: auth });

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      counts: { waiting: 1, active: 0, delayed: 1, prioritized: 0, completed: 0, failed: 0 },
    });
  });

  it('lists failed jobs with their reason and retries one', async () => {
    const id = await failOneJob();

    const list = await t.app.request('/api/v1/admin/jobs/failed?limit=10', { headers: auth });
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({
      jobs: [
        { id, name: 'daily-report', reason: 'report database unreachable', attempts: 1, failedAt: expect.any(String) },
      ],
    });

    const retry = await t.app.request(`/api/v1/admin/jobs/${id}/retry`, { method: 'POST', headers: auth });
    expect(retry.status).toBe(202);
    expect(await retry.json()).toEqual({ id, status: 'queued' });
    expect(await t.deps.jobs.counts()).toMatchObject({ failed: 0, waiting: 1 });

    const again = await t.app.request(`/api/v1/admin/jobs/${id}/retry`, { method: 'POST', headers: auth });
    expect(again.status).toBe(409);
  });

  it('answers 404 for an unknown job and 400 for a bad limit', async () => {
    const retry = await t.app.request('/api/v1/admin/jobs/nope/retry', { method: 'POST', headers: auth });
    expect(retry.status).toBe(404);
    const list = await t.app.request('/api/v1/admin/jobs/failed?limit=0', { headers: auth });
    expect(list.status).toBe(400);
  });

  it('documents the endpoints and their bearer token in OpenAPI', async () => {
    const spec = (await (await t.app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { security?: unknown }>>;
      components: { securitySchemes?: Record<string, unknown> };
    };
    expect(spec.paths['/api/v1/admin/jobs']?.get?.security).toEqual([{ adminToken: [] }]);
    expect(spec.paths['/api/v1/admin/jobs/{id}/retry']?.post).toBeDefined();
    expect(spec.components.securitySchemes?.adminToken).toEqual({ type: 'http', scheme: 'bearer' });
  });
});
