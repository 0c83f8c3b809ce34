import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { type CloudinaryCredentials, signParams } from './cloudinary-auth.js';
import { assertKey, newKey } from './keys.js';
import { limitedBody } from './limit.js';
import { type ObjectInfo, type SignedUrl, type Storage, StorageError } from './storage.js';

export interface CloudinaryStorageOptions {
  /** Unset outside production: every call then fails with a StorageError saying so. */
  credentials: CloudinaryCredentials | undefined;
  /** https://api.cloudinary.com unless a proxy or a test server stands in. */
  apiBaseUrl: string;
  /** Milliseconds since the epoch; signatures and expiries count from it. Tests pass a fixed clock. */
  now?: () => number;
}

export interface CloudinaryStorage extends Storage {
  /** Resolves when the Admin API accepts the credentials (GET ping); backs the readiness check. */
  ping(): Promise<void>;
}

const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
/** Private raw files: any bytes, never transformed, delivered only through signed URLs. */
const RESOURCE_TYPE = 'raw';
const DELIVERY_TYPE = 'authenticated';
/** Cloudinary refuses a signed upload whose timestamp is more than an hour old. */
const SIGNATURE_LIFETIME_SECONDS = 3600;
/** How long the download URL behind `get` stays valid: only this process uses it, at once. */
const GET_URL_SECONDS = 60;
/** Printable ASCII: anything else cannot travel in a form field or a context value. */
const CONTENT_TYPE = /^[ -~]{1,255}$/;

/** Context values are `key=value|key=value`: `=` and `|` inside a value are escaped with a backslash. */
const contextValue = (value: string) => value.replace(/([=|\\])/g, '\\$1');

/** A multipart/form-data body that streams the file part instead of holding it in memory. */
async function* formBody(
  boundary: string,
  fields: Record<string, string>,
  file: AsyncIterable<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  const text = new TextEncoder();
  for (const [name, value] of Object.entries(fields)) {
    yield text.encode(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  }
  yield text.encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="file"\r\nContent-Type: ${DEFAULT_CONTENT_TYPE}\r\n\r\n`,
  );
  yield* file;
  yield text.encode(`\r\n--${boundary}--\r\n`);
}

/** Cloudinary's error body is `{ error: { message } }`; it names the problem without echoing secrets. */
const failure = async (res: Response): Promise<StorageError> => {
  const body = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
  return new StorageError('provider', `cloudinary: ${body.error?.message ?? `HTTP ${res.status}`}`, {
    status: res.status,
  });
};

/**
 * Files in Cloudinary through its REST API (no SDK: a few signed requests are all this needs, and
 * the API base URL stays a plain option). Files are private raw resources: bytes go up as a signed
 * upload, come back through signed download URLs that expire, and metadata comes from the Admin
 * API, which Cloudinary rate-limits per hour, so keep size and type in your own table as well.
 */
export const createCloudinaryStorage = (options: CloudinaryStorageOptions): CloudinaryStorage => {
  const now = options.now ?? Date.now;
  const seconds = () => Math.floor(now() / 1000);

  const account = (): CloudinaryCredentials => {
    if (!options.credentials) throw new StorageError('provider', 'cloudinary: CLOUDINARY_URL is not set');
    return options.credentials;
  };
  const endpoint = (path: string) => `${options.apiBaseUrl}/v1_1/${encodeURIComponent(account().cloudName)}/${path}`;

  /** The parameters with the API key and their signature, dated `timestamp`. */
  const signed = (params: Record<string, string>, timestamp = seconds()): Record<string, string> => {
    const { apiKey, apiSecret } = account();
    const dated = { ...params, timestamp: String(timestamp) };
    return { ...dated, api_key: apiKey, signature: signParams(dated, apiSecret) };
  };

  const send = (url: string, init: RequestInit) =>
    fetch(url, init).catch((err: unknown) => {
      throw new StorageError('provider', 'cloudinary: request failed', { cause: err });
    });
  /** The response, or a StorageError for any failure. */
  const call = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const res = await send(url, init);
    if (!res.ok) throw await failure(res);
    return res;
  };
  /** The response, or null when Cloudinary has no such file (404). */
  const find = async (url: string, init: RequestInit = {}): Promise<Response | null> => {
    const res = await send(url, init);
    if (res.status === 404) return null;
    if (!res.ok) throw await failure(res);
    return res;
  };

  /** The Admin API takes the key and secret as Basic credentials instead of a signature. */
  const adminAuth = (): RequestInit => {
    const { apiKey, apiSecret } = account();
    return { headers: { authorization: `Basic ${btoa(`${apiKey}:${apiSecret}`)}` } };
  };

  const downloadUrl = (key: string, expiresInSeconds: number, attachment: boolean): SignedUrl => {
    const expiresAt = seconds() + expiresInSeconds;
    const params = signed({
      public_id: key,
      type: DELIVERY_TYPE,
      expires_at: String(expiresAt),
      ...(attachment && { attachment: 'true' }),
    });
    const url = `${endpoint(`${RESOURCE_TYPE}/download`)}?${new URLSearchParams(params)}`;
    return { url, key, expiresAt: new Date(expiresAt * 1000) };
  };

  const head = async (key: string): Promise<ObjectInfo | null> => {
    assertKey(key);
    const res = await find(endpoint(`resources/${RESOURCE_TYPE}/${DELIVERY_TYPE}/${key}`), adminAuth());
    if (!res) return null;
    const info = (await res.json()) as { bytes: number; context?: { custom?: { content_type?: string } } };
    return { key, size: info.bytes, contentType: info.context?.custom?.content_type ?? DEFAULT_CONTENT_TYPE };
  };

  return {
    async put(body, { contentType = DEFAULT_CONTENT_TYPE, maxBytes = Number.POSITIVE_INFINITY, key = newKey() } = {}) {
      assertKey(key);
      const type = CONTENT_TYPE.test(contentType) ? contentType : DEFAULT_CONTENT_TYPE;
      const fields = signed({ public_id: key, type: DELIVERY_TYPE, context: `content_type=${contextValue(type)}` });
      const boundary = `omnistack-${randomUUID()}`;
      const source = Readable.fromWeb(body as NodeReadableStream<Uint8Array>);
      const limited = limitedBody(source, maxBytes);
      let uploaded: number | undefined;
      try {
        // Past maxBytes the body fails mid-request: Cloudinary never sees a whole form, so stores nothing.
        const res = await call(endpoint(`${RESOURCE_TYPE}/upload`), {
          method: 'POST',
          headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
          body: formBody(boundary, fields, limited.bytes),
          duplex: 'half',
        } as RequestInit);
        uploaded = ((await res.json()) as { bytes?: number }).bytes;
      } catch (err) {
        source.destroy();
        throw limited.state.error ?? err;
      }
      const { size } = limited.state;
      if (uploaded !== size) throw new StorageError('provider', `cloudinary: stored ${uploaded} bytes of ${size}`);
      return { key, size, contentType: type };
    },

    async get(key) {
      const info = await head(key);
      if (!info) return null;
      const res = await find(downloadUrl(key, GET_URL_SECONDS, false).url);
      if (!res?.body) return null;
      return { ...info, body: res.body };
    },

    head,

    async delete(key) {
      assertKey(key);
      const res = await call(endpoint(`${RESOURCE_TYPE}/destroy`), {
        method: 'POST',
        body: new URLSearchParams(signed({ public_id: key, type: DELIVERY_TYPE })),
      });
      const { result } = (await res.json()) as { result?: string };
      return result === 'ok';
    },

    async uploadUrl({ expiresInSeconds }) {
      // Cloudinary honours a signed upload for an hour after its timestamp: dating the signature
      // back makes that hour end when the caller asked, capped at the hour itself.
      const lifetime = Math.min(expiresInSeconds, SIGNATURE_LIFETIME_SECONDS);
      const timestamp = seconds() - (SIGNATURE_LIFETIME_SECONDS - lifetime);
      const key = newKey();
      return {
        url: endpoint(`${RESOURCE_TYPE}/upload`),
        key,
        expiresAt: new Date((timestamp + SIGNATURE_LIFETIME_SECONDS) * 1000),
        // overwrite=false: once the file is confirmed, posting the form again cannot replace its bytes.
        form: signed({ public_id: key, type: DELIVERY_TYPE, overwrite: 'false' }, timestamp),
      };
    },

    async downloadUrl(key, { expiresInSeconds }) {
      assertKey(key);
      return downloadUrl(key, expiresInSeconds, true);
    },

    async ping() {
      await (await call(endpoint('ping'), adminAuth())).body?.cancel();
    },
  };
};
