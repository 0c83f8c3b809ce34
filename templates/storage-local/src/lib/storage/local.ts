import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { assertKey, isKey, newKey } from './keys.js';
import { limitBytes } from './limit.js';
import { fileInside } from './paths.js';
import { type SignedAction, type SignedQuery, sign, type Verdict, verify } from './signing.js';
import type { ObjectInfo, SignedUrl, Storage } from './storage.js';

export interface LocalStorageOptions {
  /** Folder holding the files; created when missing. */
  dir: string;
  /** HMAC key for signed URLs, at least 32 characters. */
  signingSecret: string;
  /** Where the app serves files (default /files): signed URLs read `${baseUrl}/${key}?expires=...&signature=...`. */
  baseUrl?: string;
  /** Milliseconds since the epoch; tests pass a fixed clock. */
  now?: () => number;
}

export interface LocalStorage extends Storage {
  /** Checks the query of a signed URL that a request for `key` arrived with. */
  verify(action: SignedAction, key: string, query: SignedQuery): Verdict;
  /** Resolves when the folder is writable; backs the readiness check. */
  ping(): Promise<void>;
}

const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/** `fallback` when the file does not exist; any other error is real and is thrown. */
const ifMissing =
  <T>(fallback: T) =>
  (err: NodeJS.ErrnoException): T => {
    if (err.code === 'ENOENT') return fallback;
    throw err;
  };

/**
 * Files on local disk: `<dir>/<key>` holds the bytes and `<dir>/<key>.json` the content type.
 * Fine for one instance with a persistent volume; several instances need shared storage (S3, R2).
 */
export const createLocalStorage = async (options: LocalStorageOptions): Promise<LocalStorage> => {
  if (options.signingSecret.length < 32) throw new Error('storage signing secret must be at least 32 characters');
  const root = resolve(options.dir);
  const now = options.now ?? Date.now;
  const baseUrl = options.baseUrl ?? '/files';
  await mkdir(root, { recursive: true });

  const dataFile = (key: string): string => {
    assertKey(key);
    return fileInside(root, key);
  };
  const metaFile = (key: string): string => fileInside(root, `${key}.json`);

  const signedUrl = (action: SignedAction, key: string, expiresInSeconds: number): SignedUrl => {
    const expires = Math.floor(now() / 1000) + expiresInSeconds;
    const signature = sign(options.signingSecret, action, key, expires);
    return {
      url: `${baseUrl}/${key}?expires=${expires}&signature=${signature}`,
      key,
      expiresAt: new Date(expires * 1000),
    };
  };

  const contentTypeOf = async (key: string): Promise<string> => {
    const meta = await readFile(metaFile(key), 'utf8').catch(ifMissing('{}'));
    return (JSON.parse(meta) as { contentType?: string }).contentType ?? DEFAULT_CONTENT_TYPE;
  };

  const head = async (key: string): Promise<ObjectInfo | null> => {
    const stats = await stat(dataFile(key)).catch(ifMissing(null));
    return stats && { key, size: stats.size, contentType: await contentTypeOf(key) };
  };

  return {
    async put(body, { contentType = DEFAULT_CONTENT_TYPE, maxBytes = Number.POSITIVE_INFINITY, key = newKey() } = {}) {
      const file = dataFile(key);
      // Written beside the target, then renamed: readers never see a half-written file.
      const partial = fileInside(root, `${key}.${randomUUID()}.part`);
      const counted = { size: 0 };
      // Opened before streaming: a stream that opens lazily could create the file after a failed
      // body was cleaned up, leaving an empty part behind.
      const handle = await open(partial, 'wx');
      try {
        await pipeline(
          limitBytes(Readable.fromWeb(body as NodeReadableStream<Uint8Array>), maxBytes, counted),
          handle.createWriteStream(),
        );
        await writeFile(metaFile(key), JSON.stringify({ contentType }));
        await rename(partial, file);
      } catch (err) {
        await rm(partial, { force: true });
        throw err;
      }
      return { key, size: counted.size, contentType };
    },

    async get(key) {
      // Size and bytes both come from the open file, so a concurrent delete or put cannot split them.
      const handle = await open(dataFile(key)).catch(ifMissing(null));
      if (!handle) return null;
      try {
        const { size } = await handle.stat();
        const contentType = await contentTypeOf(key);
        const body = Readable.toWeb(handle.createReadStream()) as ReadableStream<Uint8Array>;
        return { key, size, contentType, body };
      } catch (err) {
        await handle.close();
        throw err;
      }
    },

    head,

    async delete(key) {
      const deleted = await unlink(dataFile(key)).then(() => true, ifMissing(false));
      await rm(metaFile(key), { force: true });
      return deleted;
    },

    async uploadUrl({ expiresInSeconds }) {
      return signedUrl('upload', newKey(), expiresInSeconds);
    },

    async downloadUrl(key, { expiresInSeconds }) {
      assertKey(key);
      return signedUrl('download', key, expiresInSeconds);
    },

    verify(action, key, query) {
      if (!isKey(key)) return 'invalid';
      return verify(options.signingSecret, action, key, query, now());
    },

    async ping() {
      await access(root, constants.W_OK);
    },
  };
};
