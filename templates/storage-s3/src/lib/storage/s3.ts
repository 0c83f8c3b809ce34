import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { assertKey, newKey } from './keys.js';
import { limitedBody } from './limit.js';
import { type ObjectInfo, type SignedUrl, type Storage, StorageError } from './storage.js';

export interface S3StorageOptions {
  bucket: string;
  region: string;
  /** An S3-compatible endpoint (R2, MinIO, a test server), addressed path-style as those need; unset for AWS. */
  endpoint?: string | undefined;
  /** Both or neither: with neither the SDK finds credentials itself (AWS_* variables, an IAM role). */
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  /** Milliseconds since the epoch; signed URLs count their expiry from it. Tests pass a fixed clock. */
  now?: () => number;
}

export interface S3Storage extends Storage {
  /** Resolves when the bucket answers (HeadBucket); backs the readiness check. */
  ping(): Promise<void>;
  /** Closes the client's pooled connections, if the SDK was ever loaded. */
  close(): Promise<void>;
}

const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/** The AWS SDK costs a few hundred milliseconds to load: it is imported on first use, not at boot. */
const loadSdk = async (options: S3StorageOptions) => {
  const [s3, { getSignedUrl }, { Upload }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/s3-request-presigner'),
    import('@aws-sdk/lib-storage'),
  ]);
  const { accessKeyId, secretAccessKey, endpoint } = options;
  const client = new s3.S3Client({
    region: options.region,
    ...(endpoint && { endpoint, forcePathStyle: true }),
    ...(accessKeyId && secretAccessKey && { credentials: { accessKeyId, secretAccessKey } }),
    // Checksums only where S3 demands them: otherwise a presigned PUT carries the checksum of an
    // empty body, and R2 and other S3-compatible servers refuse the newer checksum headers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return { s3, client, getSignedUrl, Upload };
};

interface SdkError {
  name?: string;
  $metadata?: { httpStatusCode?: number };
}

/** Our own errors pass through; an SDK failure becomes a StorageError carrying S3's status. */
const providerError = (err: unknown): never => {
  if (err instanceof StorageError) throw err;
  const { name, $metadata } = err as SdkError;
  throw new StorageError('provider', `s3: ${name ?? 'request failed'}`, {
    status: $metadata?.httpStatusCode,
    cause: err,
  });
};

/** `fallback` when S3 answered 404 (no such object); any other failure is thrown. */
const ifMissing =
  <T>(fallback: T) =>
  (err: unknown): T => {
    if ((err as SdkError).$metadata?.httpStatusCode === 404) return fallback;
    return providerError(err);
  };

/**
 * Objects in an S3 bucket (AWS, Cloudflare R2 or any S3-compatible server). Uploads stream in parts,
 * so memory stays bounded whatever the file size; signed URLs let clients move bytes without the app.
 */
export const createS3Storage = (options: S3StorageOptions): S3Storage => {
  const { bucket } = options;
  const now = options.now ?? Date.now;
  let sdk: ReturnType<typeof loadSdk> | undefined;
  const load = () => {
    sdk ??= loadSdk(options);
    return sdk;
  };

  const head = async (key: string): Promise<ObjectInfo | null> => {
    assertKey(key);
    const { s3, client } = await load();
    const out = await client.send(new s3.HeadObjectCommand({ Bucket: bucket, Key: key })).catch(ifMissing(null));
    return out && { key, size: out.ContentLength ?? 0, contentType: out.ContentType ?? DEFAULT_CONTENT_TYPE };
  };

  const signedUrl = async (key: string, expiresInSeconds: number, command: 'put' | 'get'): Promise<SignedUrl> => {
    const { s3, client, getSignedUrl } = await load();
    const signingDate = new Date(now());
    const url = await getSignedUrl(
      client,
      command === 'put'
        ? new s3.PutObjectCommand({ Bucket: bucket, Key: key })
        : // Downloads save to disk instead of rendering in the browser, as the app's own download route does.
          new s3.GetObjectCommand({ Bucket: bucket, Key: key, ResponseContentDisposition: 'attachment' }),
      { expiresIn: expiresInSeconds, signingDate },
    );
    return { url, key, expiresAt: new Date(signingDate.getTime() + expiresInSeconds * 1000) };
  };

  return {
    async put(body, { contentType = DEFAULT_CONTENT_TYPE, maxBytes = Number.POSITIVE_INFINITY, key = newKey() } = {}) {
      assertKey(key);
      const { client, Upload } = await load();
      const source = Readable.fromWeb(body as NodeReadableStream<Uint8Array>);
      const limited = limitedBody(source, maxBytes);
      // A body over maxBytes fails the upload before its last part: one small enough for a single
      // PUT is never sent, and a multipart upload is aborted, so no object appears either way.
      const upload = new Upload({
        client,
        params: {
          Bucket: bucket,
          Key: key,
          Body: Readable.from(limited.bytes),
          ContentType: contentType,
        },
      });
      try {
        await upload.done();
      } catch (err) {
        source.destroy();
        // The body's own error is the answer, even when aborting the multipart upload failed as well.
        if (limited.state.error) throw limited.state.error;
        return providerError(err);
      }
      return { key, size: limited.state.size, contentType };
    },

    async get(key) {
      assertKey(key);
      const { s3, client } = await load();
      const out = await client.send(new s3.GetObjectCommand({ Bucket: bucket, Key: key })).catch(ifMissing(null));
      if (!out?.Body) return null;
      return {
        key,
        size: out.ContentLength ?? 0,
        contentType: out.ContentType ?? DEFAULT_CONTENT_TYPE,
        body: out.Body.transformToWebStream() as ReadableStream<Uint8Array>,
      };
    },

    head,

    async delete(key) {
      // S3 answers a delete the same whether or not the object existed, so ask first.
      if (!(await head(key))) return false;
      const { s3, client } = await load();
      await client.send(new s3.DeleteObjectCommand({ Bucket: bucket, Key: key })).catch(providerError);
      return true;
    },

    async uploadUrl({ expiresInSeconds }) {
      return signedUrl(newKey(), expiresInSeconds, 'put');
    },

    async downloadUrl(key, { expiresInSeconds }) {
      assertKey(key);
      return signedUrl(key, expiresInSeconds, 'get');
    },

    async ping() {
      const { s3, client } = await load();
      await client.send(new s3.HeadBucketCommand({ Bucket: bucket })).catch(providerError);
    },

    async close() {
      // A failed SDK load has nothing to close.
      await sdk?.then(({ client }) => client.destroy()).catch(() => undefined);
    },
  };
};
