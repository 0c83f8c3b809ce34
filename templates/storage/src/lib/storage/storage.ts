/** What a stored object looks like from outside: enough to answer HEAD and set response headers. */
export interface ObjectInfo {
  key: string;
  size: number;
  contentType: string;
}

export interface StoredObject extends ObjectInfo {
  body: ReadableStream<Uint8Array>;
}

export interface PutOptions {
  /** Returned by get and head; defaults to application/octet-stream. */
  contentType?: string;
  /** A longer body is refused and nothing is stored. */
  maxBytes?: number;
  /** Write at this key (the key of a signed upload URL) instead of a new one. */
  key?: string;
}

export interface SignedUrl {
  url: string;
  key: string;
  expiresAt: Date;
  /**
   * Set by providers whose uploads are form posts (Cloudinary): send these fields plus the file as
   * `file` in a multipart POST to `url`. Unset: PUT the raw bytes to `url`.
   */
  form?: Record<string, string>;
}

/**
 * File storage. Keys are made by the server (`put` without a key, `uploadUrl`) and never taken
 * from a file name, so a client cannot choose where a file lands.
 */
export interface Storage {
  put(body: ReadableStream<Uint8Array>, options?: PutOptions): Promise<ObjectInfo>;
  /** The object with a stream of its bytes, or null when no object has this key. */
  get(key: string): Promise<StoredObject | null>;
  head(key: string): Promise<ObjectInfo | null>;
  /** True when an object was deleted, false when none had this key. */
  delete(key: string): Promise<boolean>;
  /** A URL a client may upload one file to (PUT, or a form POST when `form` is set), under a new key, until it expires. */
  uploadUrl(options: { expiresInSeconds: number }): Promise<SignedUrl>;
  /** A URL a client may GET this object from until it expires. */
  downloadUrl(key: string, options: { expiresInSeconds: number }): Promise<SignedUrl>;
}

/**
 * `invalid_key`: not a key this server made. `too_large`: over `maxBytes`, nothing stored.
 * `provider`: the storage service refused or failed the request (`status` when it answered).
 */
export class StorageError extends Error {
  readonly status: number | undefined;

  constructor(
    readonly code: 'invalid_key' | 'too_large' | 'provider',
    message: string,
    options?: { status?: number | undefined; cause?: unknown },
  ) {
    super(message, { cause: options?.cause });
    this.name = 'StorageError';
    this.status = options?.status;
  }
}
