import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server } from '../../../test/s3-server.js';
import { chunks, storageContract, streamOf } from '../../../test/storage-contract.js';
import { createS3Storage, type S3Storage } from './s3.js';

let server: Awaited<ReturnType<typeof startS3Server>>;
let storage: S3Storage;

beforeAll(async () => {
  server = await startS3Server();
  storage = createS3Storage(server.options);
});

afterAll(async () => {
  await server?.close();
});

storageContract('s3 storage', () => ({ storage, stored: () => server.keys() }));

describe('s3 storage', () => {
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
