import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, createTestDatabase, listen, skipReason, type TestDatabase } from '../../../test/helpers.js';
import { FORM_TYPE, form } from '../../../test/multipart.js';
import { createTestScope } from '../../../test/scope.js';
import { createTestStorage } from '../../../test/storage.js';
import { purgeStaleUploads } from './cleanup.js';

type FileJson = { id: string; name: string; size: number | null; contentType: string | null; sha256: string | null };
type Ticket = {
  fileId: string;
  uploadUrl: string;
  method: 'PUT' | 'POST';
  fields?: Record<string, string>;
  key: string;
  expiresAt: string;
};

const MAX_BYTES = 64 * 1024;
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  Buffer.from('IHDR'),
  Buffer.alloc(64, 1),
]);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A body that arrives in pieces, with no length announced (Transfer-Encoding: chunked on a socket). */
const chunked = (bytes: Uint8Array, size = 4096) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (let at = 0; at < bytes.length; at += size) controller.enqueue(bytes.subarray(at, at + size));
      controller.close();
    },
  });

describe.skipIf(skipReason)('files', () => {
  let database: TestDatabase;
  let scope: Awaited<ReturnType<typeof createTestScope>>;
  let storage: Awaited<ReturnType<typeof createTestStorage>>;
  let t: Awaited<ReturnType<typeof createTestApp>>;
  // One caller for the whole file (test/scope.ts): a signed-in user with an auth module.
  let caller: Promise<Record<string, string>> | undefined;
  const headers = () => {
    caller ??= scope.caller();
    return caller;
  };
  const formHeaders = async () => ({ ...(await headers()), 'content-type': FORM_TYPE });
  const call = async (path: string, init: RequestInit = {}) =>
    t.app.request(`/api/v1${path}`, { ...init, headers: { ...(await headers()), ...init.headers } });
  const upload = async (body: Uint8Array) =>
    t.app.request('/api/v1/files', { method: 'POST', headers: await formHeaders(), body });
  const uploaded = async (filename: string, bytes: Uint8Array) => {
    const res = await upload(form({ filename, bytes }));
    expect(res.status).toBe(201);
    return (await res.json()) as FileJson;
  };
  const requestUpload = async (name: string) => {
    const res = await call('/files/uploads', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as Ticket;
  };
  /**
   * Uploads as the ticket says: PUT the bytes, or POST a form of its fields plus the file as `file`.
   * Local storage signs URLs this app serves; a cloud provider's are absolute and go to its server.
   */
  const uploadTo = (ticket: Ticket, bytes: Uint8Array) => {
    let body: RequestInit['body'] = bytes;
    if (ticket.method === 'POST') {
      const formData = new FormData();
      for (const [name, value] of Object.entries(ticket.fields ?? {})) formData.append(name, value);
      formData.append('file', new Blob([bytes]), 'upload.bin');
      body = formData;
    }
    const init = { method: ticket.method, body };
    return ticket.uploadUrl.startsWith('/') ? t.app.request(ticket.uploadUrl, init) : fetch(ticket.uploadUrl, init);
  };
  const listed = async (query = '') =>
    ((await (await call(`/files?limit=100${query}`)).json()) as { items: FileJson[] }).items;

  beforeAll(async () => {
    database = await createTestDatabase();
    scope = await createTestScope();
  });
  afterAll(async () => {
    await scope.close();
    await database.drop();
  });
  beforeEach(async () => {
    storage = await createTestStorage();
    t = await createTestApp(
      {
        ...scope.env,
        ...storage.env,
        FILES_MAX_BYTES: String(MAX_BYTES),
        BODY_LIMIT_BYTES: '1024',
      },
      database,
    );
  });
  afterEach(async () => {
    await t.close();
    await storage.drop();
  });

  it('stores an upload with the type sniffed from its bytes and its checksum, and sends it back', async () => {
    const file = await uploaded('photo.txt', PNG);
    expect(file).toMatchObject({ name: 'photo.txt', size: PNG.length, contentType: 'image/png', sha256: sha256(PNG) });
    expect(await (await call(`/files/${file.id}`)).json()).toMatchObject(file);
    expect((await listed()).map((f) => f.id)).toContain(file.id);

    const res = await call(`/files/${file.id}/content`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="photo.txt"; filename*=UTF-8''photo.txt`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);

    const head = await call(`/files/${file.id}/content`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(PNG.length));
    expect(await head.text()).toBe('');
  });

  it('falls back to application/octet-stream for bytes it does not recognize', async () => {
    const file = await uploaded('notes.png', Buffer.from('<script>alert(1)</script>'));
    expect(file.contentType).toBe('application/octet-stream');
  });

  it('accepts a file over the global body limit but within FILES_MAX_BYTES', async () => {
    const big = Buffer.alloc(MAX_BYTES, 7);
    expect((await uploaded('big.bin', big)).size).toBe(MAX_BYTES);
  });

  it('keeps only a clean name: no path parts, no control characters', async () => {
    for (const [raw, name] of [
      ['../../../etc/passwd', 'passwd'],
      ['..\\..\\boot.ini', 'boot.ini'],
      ['a\u202Eb\u200Bc.txt', 'abc.txt'],
      ['..', 'file'],
    ] as const) {
      expect((await uploaded(raw, Buffer.from('x'))).name).toBe(name);
    }
    const accented = await uploaded('résumé.pdf', Buffer.from('%PDF-1.4\n'));
    expect(accented).toMatchObject({ name: 'résumé.pdf', contentType: 'application/pdf' });
    const res = await call(`/files/${accented.id}/content`);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="r_sum_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`,
    );
  });

  describe('refuses a file over FILES_MAX_BYTES with 413, storing nothing', () => {
    const tooBig = form({ filename: 'big.bin', bytes: Buffer.alloc(MAX_BYTES + 1, 1) });

    it('sent chunked, with no length announced', async () => {
      const before = await listed();
      const server = await listen(t.app);
      try {
        const res = await fetch(`${server.url}/api/v1/files`, {
          method: 'POST',
          headers: await formHeaders(),
          body: chunked(tooBig),
          duplex: 'half',
        } as RequestInit);
        expect(res.status).toBe(413);
      } finally {
        await server.stop();
      }
      expect(await storage.objects()).toEqual([]);
      expect(await listed()).toEqual(before);
    });

    it('whatever a lying Content-Length claims', async () => {
      const before = await listed();
      const res = await t.app.request('/api/v1/files', {
        method: 'POST',
        headers: { ...(await formHeaders()), 'content-length': '300' },
        body: chunked(tooBig),
        duplex: 'half',
      } as RequestInit);
      expect(res.status).toBe(413);
      expect(await storage.objects()).toEqual([]);
      expect(await listed()).toEqual(before);
    });

    it('announced as too large, before reading it', async () => {
      const res = await t.app.request('/api/v1/files', {
        method: 'POST',
        headers: { ...(await formHeaders()), 'content-length': String(10 * MAX_BYTES) },
        body: chunked(form({ filename: 'small.txt', bytes: Buffer.from('x') })),
        duplex: 'half',
      } as RequestInit);
      expect(res.status).toBe(413);
      expect(await storage.objects()).toEqual([]);
    });
  });

  it('refuses a form padded far past FILES_MAX_BYTES around a small file, storing nothing', async () => {
    const before = await listed();
    // Bytes after the closing boundary: a parser skips them, but they still arrive and take time.
    const padded = Buffer.concat([
      form({ filename: 'small.txt', bytes: Buffer.from('x') }),
      Buffer.alloc(4 * MAX_BYTES),
    ]);
    const res = await t.app.request('/api/v1/files', {
      method: 'POST',
      headers: await formHeaders(),
      body: chunked(padded),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await storage.objects()).toEqual([]);
    expect(await listed()).toEqual(before);
  });

  it('refuses anything but one well-formed file part, storing nothing', async () => {
    const before = await listed();
    const two = form({ filename: 'a.txt', bytes: Buffer.from('a') }, { filename: 'b.txt', bytes: Buffer.from('b') });
    expect((await upload(two)).status).toBe(400);
    expect((await upload(form({ bytes: Buffer.from('only a field') }))).status).toBe(400);
    const cut = form({ filename: 'cut.txt', bytes: Buffer.alloc(5000, 1) }).subarray(0, 3000);
    expect((await upload(cut)).status).toBe(400);
    const json = await call('/files', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(415);
    expect(await storage.objects()).toEqual([]);
    expect(await listed()).toEqual(before);
  });

  it('deletes the file and its bytes', async () => {
    const file = await uploaded('gone.txt', Buffer.from('bye'));
    expect((await call(`/files/${file.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`/files/${file.id}`)).status).toBe(404);
    expect((await call(`/files/${file.id}/content`)).status).toBe(404);
    expect((await call(`/files/${file.id}`, { method: 'DELETE' })).status).toBe(404);
    expect(await storage.objects()).toEqual([]);
  });

  it('takes a presigned upload: request a URL, upload to it, confirm', async () => {
    const ticket = await requestUpload('../scan.pdf');
    expect(new Date(ticket.expiresAt).getTime()).toBeGreaterThan(Date.now());
    // Form fields come with a form POST and only with it.
    expect(ticket.fields !== undefined).toBe(ticket.method === 'POST');
    expect(await (await call(`/files/${ticket.fileId}`)).json()).toMatchObject({
      name: 'scan.pdf',
      status: 'pending',
      size: null,
    });
    expect((await listed('&status=pending')).map((f) => f.id)).toContain(ticket.fileId);
    expect((await call(`/files/${ticket.fileId}/content`)).status).toBe(404);

    // Larger than BODY_LIMIT_BYTES: where the app serves upload URLs, they stream like POST /files.
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4096, 0x20)]);
    expect((await uploadTo(ticket, pdf)).ok).toBe(true);
    const res = await call(`/files/${ticket.fileId}/confirm`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: ticket.fileId,
      status: 'ready',
      size: pdf.length,
      contentType: 'application/pdf',
      sha256: sha256(pdf),
    });
    const content = await call(`/files/${ticket.fileId}/content`);
    expect(Buffer.from(await content.arrayBuffer()).equals(pdf)).toBe(true);
    expect((await call(`/files/${ticket.fileId}/confirm`, { method: 'POST' })).status).toBe(404);
  });

  it('never serves other bytes than it confirmed, even when the upload URL is used again', async () => {
    const ticket = await requestUpload('scan.pdf');
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(512, 0x20)]);
    expect((await uploadTo(ticket, pdf)).ok).toBe(true);
    expect((await call(`/files/${ticket.fileId}/confirm`, { method: 'POST' })).status).toBe(200);
    // Local storage refuses a second upload; a provider's URL may take one until it expires.
    await uploadTo(ticket, Buffer.alloc(MAX_BYTES * 2, 7));
    const res = await call(`/files/${ticket.fileId}/content`);
    if (res.ok) expect(Buffer.from(await res.arrayBuffer()).equals(pdf)).toBe(true);
    else expect(res.status).toBe(404);
  });

  it('leaves nothing behind, after the cleanup, of a presigned upload deleted before its bytes arrived', async () => {
    const ticket = await requestUpload('late.bin');
    expect((await call(`/files/${ticket.fileId}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`/files/${ticket.fileId}/confirm`, { method: 'POST' })).status).toBe(404);
    // The upload URL still works until it expires: what arrives must not outlive the cleanup.
    expect((await uploadTo(ticket, Buffer.from('late bytes'))).ok).toBe(true);
    // A cutoff an hour ahead counts every pending upload as stale.
    await purgeStaleUploads(t.deps, { olderThanHours: -1 });
    expect(await storage.objects()).toEqual([]);
  });

  it('will not confirm an upload that never arrived, and keeps it pending', async () => {
    const ticket = await requestUpload('later.bin');
    const res = await call(`/files/${ticket.fileId}/confirm`, { method: 'POST' });
    expect(res.status).toBe(409);
    expect(await (await call(`/files/${ticket.fileId}`)).json()).toMatchObject({ status: 'pending' });
  });

  it('refuses to confirm an object over FILES_MAX_BYTES, and deletes it', async () => {
    const ticket = await requestUpload('huge.bin');
    // Written past the API, as a client could to a provider that does not limit presigned uploads.
    await t.deps.storage.put(chunked(Buffer.alloc(MAX_BYTES + 1, 2)), { key: ticket.key });
    const res = await call(`/files/${ticket.fileId}/confirm`, { method: 'POST' });
    expect(res.status).toBe(413);
    expect(await t.deps.storage.head(ticket.key)).toBeNull();
    expect((await call(`/files/${ticket.fileId}`)).status).toBe(404);
  });

  it('documents the routes in OpenAPI', async () => {
    const doc = (await (await t.app.request('/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/files', '/api/v1/files/{id}/content', '/api/v1/files/{id}/confirm']),
    );
  });
});
