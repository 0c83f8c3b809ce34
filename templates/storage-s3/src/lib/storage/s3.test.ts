import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server } from '../../../test/s3-server.js';
import { createS3Storage, type S3Storage } from './s3.js';

const streamOf = (text: string) => new Blob([text]).stream();
const textOf = (body: ReadableStream<Uint8Array>) => new Response(body).text();
/** `count` chunks of `size` bytes each, as a client sending a large file would. */
const chunks = (count: number, size: number) =>
  new ReadableStream<Uint8Array>({
    pull(controller) {
      if (count-- > 0) controller.enqueue(new Uint8Array(size).fill(120));
      else controller.close();
    },
  });

let server: Awaited<ReturnType<typeof startS3Server>>;
let storage: S3Storage;

beforeAll(async () => {
  server = await startS3Server();
  storage = createS3Storage(server.options);
});

afterAll(async () => {
  await server?.close();
});

describe('s3 storage', () => {
  it('stores a stream under a new key and streams it back', async () => {
    const stored = await storage.put(streamOf('hello'), { contentType: 'text/plain' });
    expect(stored).toEqual({ key: expect.any(String), size: 5, contentType: 'text/plain' });

    const found = await storage.get(stored.key);
    expect(found).toMatchObject({ key: stored.key, size: 5, contentType: 'text/plain' });
    expect(await textOf(found?.body ?? streamOf(''))).toBe('hello');
    expect(await storage.head(stored.key)).toEqual(stored);
  });

  it('gives each put its own key and defaults the content type', async () => {
    const a = await storage.put(streamOf('a'));
    const b = await storage.put(streamOf('a'));
    expect(a.key).not.toBe(b.key);
    expect((await storage.head(a.key))?.contentType).toBe('application/octet-stream');
  });

  it('answers null for a key with no object', async () => {
    const missing = crypto.randomUUID();
    expect(await storage.get(missing)).toBeNull();
    expect(await storage.head(missing)).toBeNull();
    expect(await storage.delete(missing)).toBe(false);
  });

  it('deletes an object and reports whether there was one', async () => {
    const { key } = await storage.put(streamOf('bye'));
    expect(await storage.delete(key)).toBe(true);
    expect(await storage.head(key)).toBeNull();
    expect(await server.keys()).not.toContain(key);
  });

  it('refuses a body over maxBytes and leaves no object', async () => {
    const before = await server.keys();
    await expect(storage.put(streamOf('123456'), { maxBytes: 5 })).rejects.toMatchObject({ code: 'too_large' });
    expect(await server.keys()).toEqual(before);
  });

  it('refuses a multipart upload that passes maxBytes after its first parts', async () => {
    const before = await server.keys();
    // 12 MiB against a 10 MiB limit: two 5 MiB parts go up before the limit is crossed, and the
    // upload is never completed. (s3rver cannot abort multipart uploads; S3 and R2 do, and drop the parts.)
    const put = storage.put(chunks(12, 1024 * 1024), { maxBytes: 10 * 1024 * 1024 });
    await expect(put).rejects.toMatchObject({ code: 'too_large' });
    expect(await server.keys()).toEqual(before);
  });

  it('streams a large body in parts', async () => {
    const stored = await storage.put(chunks(6, 1024 * 1024), { maxBytes: 6 * 1024 * 1024 });
    expect(stored.size).toBe(6 * 1024 * 1024);
    expect((await storage.head(stored.key))?.size).toBe(6 * 1024 * 1024);
  });

  it.each(['../outside', '/etc/passwd', 'a\0b', ''])('rejects the key %j before any request', async (key) => {
    const invalid = { code: 'invalid_key' };
    await expect(storage.get(key)).rejects.toMatchObject(invalid);
    await expect(storage.head(key)).rejects.toMatchObject(invalid);
    await expect(storage.delete(key)).rejects.toMatchObject(invalid);
    await expect(storage.put(streamOf('x'), { key })).rejects.toMatchObject(invalid);
    await expect(storage.downloadUrl(key, { expiresInSeconds: 60 })).rejects.toMatchObject(invalid);
  });

  it('reports a reachable bucket as ready, and a missing one as a provider error', async () => {
    await expect(storage.ping()).resolves.toBeUndefined();
    const elsewhere = createS3Storage({ ...server.options, bucket: 'no-such-bucket' });
    await expect(elsewhere.ping()).rejects.toMatchObject({ code: 'provider', status: 404 });
  });

  it('closes, whether or not the SDK was ever loaded', async () => {
    await expect(createS3Storage(server.options).close()).resolves.toBeUndefined();
    const used = createS3Storage(server.options);
    await used.ping();
    await expect(used.close()).resolves.toBeUndefined();
  });

  it('surfaces refused credentials as a provider error', async () => {
    const wrong = createS3Storage({ ...server.options, accessKeyId: 'unknown-key' });
    await expect(wrong.put(streamOf('x'))).rejects.toMatchObject({ code: 'provider', status: 403 });
  });
});

describe('presigned URLs', () => {
  it('lets a client upload with PUT and download with GET until they expire', async () => {
    const upload = await storage.uploadUrl({ expiresInSeconds: 60 });
    expect(new URL(upload.url).searchParams.get('X-Amz-Expires')).toBe('60');
    // No checksum of an empty body baked into the URL: the client's bytes would not match it.
    expect(upload.url).not.toMatch(/x-amz-checksum/i);
    expect(upload.form).toBeUndefined();

    const put = await fetch(upload.url, { method: 'PUT', body: 'a,b\n1,2\n', headers: { 'content-type': 'text/csv' } });
    expect(put.status).toBe(200);
    expect(await storage.head(upload.key)).toEqual({ key: upload.key, size: 8, contentType: 'text/csv' });

    const download = await storage.downloadUrl(upload.key, { expiresInSeconds: 60 });
    const got = await fetch(download.url);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-disposition')).toBe('attachment');
    expect(await got.text()).toBe('a,b\n1,2\n');
  });

  it('dates the expiry from the signing clock', async () => {
    const clock = Date.UTC(2030, 0, 1);
    const signed = await createS3Storage({ ...server.options, now: () => clock }).uploadUrl({ expiresInSeconds: 90 });
    expect(signed.expiresAt.getTime()).toBe(clock + 90_000);
    expect(new URL(signed.url).searchParams.get('X-Amz-Date')).toBe('20300101T000000Z');
  });

  it('refuses expired URLs', async () => {
    const { key } = await storage.put(streamOf('old'));
    // Signed ten minutes ago for one minute.
    const past = createS3Storage({ ...server.options, now: () => Date.now() - 600_000 });
    const download = await past.downloadUrl(key, { expiresInSeconds: 60 });
    const upload = await past.uploadUrl({ expiresInSeconds: 60 });

    expect((await fetch(download.url)).status).toBe(403);
    expect((await fetch(upload.url, { method: 'PUT', body: 'late' })).status).toBe(403);
    expect(await storage.head(upload.key)).toBeNull();
  });
});
