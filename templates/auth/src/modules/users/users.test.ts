import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAuth } from '../../../test/auth.js';
import { skipReason, useTestApp } from '../../../test/helpers.js';
import { auditLog } from '../../db/schema/audit-log.js';
import { users } from '../../db/schema/users.js';

describe.skipIf(skipReason)('users, /me and admin', () => {
  let auth: Awaited<ReturnType<typeof createTestAuth>>;
  const as = async (sub: string) => ({ authorization: `Bearer ${await auth.token(sub)}` });
  const call = async (path: string, sub: string, init: { method?: string; body?: unknown } = {}) =>
    t.app.request(path, {
      method: init.method ?? 'GET',
      headers: { ...(await as(sub)), 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  beforeAll(async () => {
    auth = await createTestAuth();
  });
  afterAll(() => auth.close());
  const t = useTestApp(() => auth.env);

  it('creates the user from the token on first request', async () => {
    const res = await call('/api/v1/me', 'alice');
    expect(res.status).toBe(200);
    // One user's data: never kept by a shared cache or the browser.
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toMatchObject({ email: 'alice@example.com', role: 'user', active: true });
  });

  it('creates exactly one row for concurrent first requests', async () => {
    const responses = await Promise.all(Array.from({ length: 10 }, () => call('/api/v1/me', 'bob')));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    const ids = new Set(await Promise.all(responses.map(async (r) => ((await r.json()) as { id: string }).id)));
    expect(ids.size).toBe(1);
    expect(await t.deps.db.select().from(users).where(eq(users.externalId, 'bob'))).toHaveLength(1);
  });

  it('keeps from the token only the name and avatar PATCH /me would take', async () => {
    const me = async (sub: string, claims: Record<string, string>) => {
      const token = await auth.token(sub, claims);
      return (await t.app.request('/api/v1/me', { headers: { authorization: `Bearer ${token}` } })).json();
    };
    expect(await me('dave', { name: 'Dave', picture: 'https://cdn.test/dave.png' })).toMatchObject({
      name: 'Dave',
      avatarUrl: 'https://cdn.test/dave.png',
    });
    expect(await me('erin', { name: 'n'.repeat(101), picture: 'javascript:alert(1)' })).toMatchObject({
      name: null,
      avatarUrl: null,
    });
  });

  it('refuses every bad credential with the same 401', async () => {
    const token = await auth.token('carol');
    const attempts = await Promise.all([
      t.app.request('/api/v1/me'),
      t.app.request('/api/v1/me', { headers: { authorization: 'Bearer not.a.token' } }),
      t.app.request('/api/v1/me', { headers: { authorization: `Basic ${token}` } }),
      t.app.request(`/api/v1/me?access_token=${token}`),
    ]);
    const bodies = await Promise.all(
      attempts.map(async (res) => {
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
        const { requestId: _, ...body } = (await res.json()) as Record<string, unknown>;
        return body;
      }),
    );
    for (const body of bodies) expect(body).toEqual(bodies[0]);
    expect(JSON.stringify(t.logs)).not.toContain(token);
  });

  it('updates name and avatar, validated', async () => {
    const ok = await call('/api/v1/me', 'dave', {
      method: 'PATCH',
      body: { name: 'Dave', avatarUrl: 'https://x.test/a.png' },
    });
    expect(await ok.json()).toMatchObject({ name: 'Dave', avatarUrl: 'https://x.test/a.png' });
    const bad = await call('/api/v1/me', 'dave', { method: 'PATCH', body: { avatarUrl: 'javascript:alert(1)' } });
    expect(bad.status).toBe(400);
    const role = await call('/api/v1/me', 'dave', { method: 'PATCH', body: { role: 'admin' } });
    expect(role.status).toBe(400);
  });

  it('lets admins list, search and change users, and records it', async () => {
    await call('/api/v1/me', 'erin');
    await call('/api/v1/me', 'root');
    expect((await call('/api/v1/admin/users', 'erin')).status).toBe(403);
    await t.deps.db.update(users).set({ role: 'admin' }).where(eq(users.externalId, 'root'));

    const page = await call('/api/v1/admin/users?q=ERIN&limit=5', 'root');
    const body = (await page.json()) as { items: { id: string; email: string }[]; total: number };
    expect(body).toMatchObject({ total: 1, items: [{ email: 'erin@example.com' }] });

    const erin = body.items[0]?.id as string;
    const patched = await call(`/api/v1/admin/users/${erin}`, 'root', { method: 'PATCH', body: { active: false } });
    expect(await patched.json()).toMatchObject({ active: false });
    expect((await call('/api/v1/me', 'erin')).status).toBe(403);
    const [entry] = await t.deps.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.target, `user:${erin}`));
    expect(entry).toMatchObject({ action: 'user.update', details: { active: false } });
    expect(entry?.requestId).toBeTruthy();

    const missing = `/api/v1/admin/users/${crypto.randomUUID()}`;
    expect((await call(missing, 'root', { method: 'PATCH', body: { role: 'admin' } })).status).toBe(404);
  });
});
