import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestApp, createTestDatabase, skipReason, type TestDatabase } from '../../../test/helpers.js';
import { createTestStorage } from '../../../test/storage.js';

const MAX_BYTES = 8 * 1024;

describe.skipIf(skipReason)('signed URLs of local storage', () => {
  let database: TestDatabase;
  let storage: Awaited<ReturnType<typeof createTestStorage>>;
  let t: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());
  beforeEach(async () => {
    storage = await createTestStorage();
    t = await createTestApp({ ...storage.env, FILES_MAX_BYTES: String(MAX_BYTES), BODY_LIMIT_BYTES: '1024' }, database);
  });
  afterEach(async () => {
    await t.close();
    await storage.drop();
  });

  const put = (url: string, body: Uint8Array) => t.app.request(url, { method: 'PUT', body });

  it('stores one upload per URL, past the global body limit, and serves it back on a download URL', async () => {
    const { url, key } = await t.deps.storage.uploadUrl({ expiresInSeconds: 60 });
    const bytes = Buffer.alloc(4096, 3);
    expect((await put(url, bytes)).status).toBe(204);
    expect((await put(url, Buffer.from('swap'))).status).toBe(409);

    const download = await t.deps.storage.downloadUrl(key, { expiresInSeconds: 60 });
    const res = await t.app.request(download.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment');
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('refuses a second upload to a URL while the first is still arriving', async () => {
    const { url, key } = await t.deps.storage.uploadUrl({ expiresInSeconds: 60 });
    let finish = () => {};
    const slow = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(Buffer.from('first'));
        finish = () => controller.close();
      },
    });
    const first = t.app.request(url, { method: 'PUT', body: slow, duplex: 'half' } as RequestInit);
    // The first upload is streaming once its part file exists.
    await vi.waitFor(async () => expect((await storage.objects()).some((f) => f.endsWith('.part'))).toBe(true));
    expect((await put(url, Buffer.from('swap'))).status).toBe(409);
    finish();
    expect((await first).status).toBe(204);
    const stored = await t.deps.storage.get(key);
    expect(await new Response(stored?.body).text()).toBe('first');
  });

  it('refuses a body over FILES_MAX_BYTES and keeps nothing', async () => {
    const { url } = await t.deps.storage.uploadUrl({ expiresInSeconds: 60 });
    expect((await put(url, Buffer.alloc(MAX_BYTES + 1))).status).toBe(413);
    expect(await storage.objects()).toEqual([]);
  });

  it('refuses a tampered, swapped or misused signature', async () => {
    const { url, key } = await t.deps.storage.uploadUrl({ expiresInSeconds: 60 });
    const tampered = url.replace(/signature=./, (s) => (s.endsWith('A') ? `${s.slice(0, -1)}B` : `${s.slice(0, -1)}A`));
    expect((await put(tampered, Buffer.from('x'))).status).toBe(403);
    expect((await put(url.replace(key, crypto.randomUUID()), Buffer.from('x'))).status).toBe(403);
    expect((await put(url.replace(key, '..%2F..%2Fescape'), Buffer.from('x'))).status).toBe(403);
    // An upload signature does not allow a download, nor the other way round.
    expect((await t.app.request(url)).status).toBe(403);
    expect(await storage.objects()).toEqual([]);
  });

  it('refuses an expired URL', async () => {
    const { url } = await t.deps.storage.uploadUrl({ expiresInSeconds: -1 });
    const res = await put(url, Buffer.from('late'));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ detail: 'This URL has expired' });
  });
});
