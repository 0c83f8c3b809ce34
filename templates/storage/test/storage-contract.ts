import { describe, expect, it } from 'vitest';
import type { Storage } from '../src/lib/storage/storage.js';

export const streamOf = (text: string) => new Blob([text]).stream();
export const textOf = (body: ReadableStream<Uint8Array>) => new Response(body).text();
/** `count` chunks of `size` bytes each, as a client sending a large file would. */
export const chunks = (count: number, size: number) =>
  new ReadableStream<Uint8Array>({
    pull(controller) {
      if (count-- > 0) controller.enqueue(new Uint8Array(size).fill(120));
      else controller.close();
    },
  });

export interface ContractSubject {
  storage: Storage;
  /** The keys the backend holds right now (files on disk, objects in the bucket). */
  stored: () => unknown[] | Promise<unknown[]>;
  /** Requests sent to the backend so far, when it can tell: invalid keys must be refused before any. */
  requests?: () => number;
}

/**
 * What every Storage does, whatever the provider: each provider's test runs this against its own
 * backend (a temp folder, s3rver, the Cloudinary fake) and adds what only that provider has.
 * `subject` is called inside each test, after the provider's beforeAll/beforeEach has run.
 */
export const storageContract = (name: string, subject: () => ContractSubject) =>
  describe(`${name}: the Storage contract`, () => {
    it('stores a stream under a new key and streams it back', async () => {
      const { storage } = subject();
      const stored = await storage.put(streamOf('hello'), { contentType: 'text/plain; charset=utf-8' });
      expect(stored).toEqual({ key: expect.any(String), size: 5, contentType: 'text/plain; charset=utf-8' });

      const found = await storage.get(stored.key);
      expect(found).toMatchObject({ key: stored.key, size: 5, contentType: 'text/plain; charset=utf-8' });
      expect(await textOf(found?.body ?? streamOf(''))).toBe('hello');
      expect(await storage.head(stored.key)).toEqual(stored);
    });

    it('gives each put its own key and defaults the content type', async () => {
      const { storage } = subject();
      const a = await storage.put(streamOf('a'));
      const b = await storage.put(streamOf('a'));
      expect(a.key).not.toBe(b.key);
      expect((await storage.head(a.key))?.contentType).toBe('application/octet-stream');
    });

    it('answers null for a key with nothing stored', async () => {
      const { storage } = subject();
      const missing = crypto.randomUUID();
      expect(await storage.get(missing)).toBeNull();
      expect(await storage.head(missing)).toBeNull();
      expect(await storage.delete(missing)).toBe(false);
    });

    it('deletes and reports whether there was anything to delete', async () => {
      const { storage, stored } = subject();
      const { key } = await storage.put(streamOf('bye'));
      expect(await storage.delete(key)).toBe(true);
      expect(await storage.head(key)).toBeNull();
      expect(await storage.delete(key)).toBe(false);
      expect(await stored()).not.toContain(key);
    });

    it('refuses a body over maxBytes while it streams, and stores nothing', async () => {
      const { storage, stored } = subject();
      const before = await stored();
      await expect(storage.put(streamOf('123456'), { maxBytes: 5 })).rejects.toMatchObject({ code: 'too_large' });
      const put = storage.put(chunks(8, 256 * 1024), { maxBytes: 1024 * 1024 });
      await expect(put).rejects.toMatchObject({ code: 'too_large' });
      expect(await stored()).toEqual(before);
    });

    it.each(['../outside', '/etc/passwd', 'a\0b', ''])('rejects the key %j before any request', async (key) => {
      const { storage, requests } = subject();
      const sent = requests?.();
      const invalid = { code: 'invalid_key' };
      await expect(storage.get(key)).rejects.toMatchObject(invalid);
      await expect(storage.head(key)).rejects.toMatchObject(invalid);
      await expect(storage.delete(key)).rejects.toMatchObject(invalid);
      await expect(storage.put(streamOf('x'), { key })).rejects.toMatchObject(invalid);
      await expect(storage.downloadUrl(key, { expiresInSeconds: 60 })).rejects.toMatchObject(invalid);
      expect(requests?.()).toBe(sent);
    });
  });
