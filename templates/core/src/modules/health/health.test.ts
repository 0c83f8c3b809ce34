import { describe, expect, it } from 'vitest';
import { skipReason, useTestApp } from '../../../test/helpers.js';
import { closeDb } from '../../db/client.js';

describe.skipIf(skipReason)('health', () => {
  const t = useTestApp();

  it('answers liveness', async () => {
    const res = await t.app.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('is ready when every dependency answers', async () => {
    const res = await t.app.request('/health/ready');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; checks: Record<string, string> };
    expect(body).toMatchObject({ status: 'ready', checks: { db: 'pass', cache: 'pass' } });
    expect(Object.values(body.checks).every((result) => result === 'pass')).toBe(true);
  });

  it('is not ready, naming the check, when the database is unreachable', async () => {
    await closeDb(t.deps.db);
    const res = await t.app.request('/health/ready');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = await res.json();
    expect(body).toMatchObject({ status: 503, detail: 'Not ready: db', checks: { db: 'fail', cache: 'pass' } });
  });

  it('publishes OpenAPI 3.1', async () => {
    const spec = await t.app.request('/openapi.json');
    expect(await spec.json()).toMatchObject({ openapi: '3.1.0', paths: { '/health': {}, '/health/ready': {} } });
  });
});
