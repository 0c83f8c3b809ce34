import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import { limitBytes } from '../../lib/storage/limit.js';
import { StorageError } from '../../lib/storage/storage.js';

/** A request that is not one well-formed multipart file upload: 400, or 415 when not multipart at all. */
export class MalformedUpload extends Error {
  constructor(
    readonly status: 400 | 415,
    message: string,
  ) {
    super(message);
    this.name = 'MalformedUpload';
  }
}

export interface FilePart {
  /** As the client sent it: sanitize before keeping it. */
  filename: string;
  /** The file's bytes as they arrive; fail with MalformedUpload when the body breaks off (see fileFromForm). */
  body: AsyncIterable<Uint8Array>;
  /** Settles once the rest of the body is read: rejects with MalformedUpload on a second file or a broken form. */
  rest: Promise<void>;
  /** Stops parsing (after a refusal); the server drains or closes what the client still sends. */
  abort: () => void;
}

/** Small limits on everything but the file: a form for one file needs few parts and headers. */
const LIMITS = { files: 1, fields: 20, fieldSize: 8 * 1024, parts: 25, headerPairs: 50 };

/** The body past its limit, or else a broken form: the parser fails with one or the other. */
const formError = (err: unknown): StorageError | MalformedUpload =>
  err instanceof StorageError ? err : new MalformedUpload(400, 'The multipart body ended early or is malformed');

async function* fileBytes(file: Readable): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of file) yield chunk as Uint8Array;
  } catch (err) {
    throw formError(err);
  }
}

/**
 * Parses a multipart/form-data request as it streams in (busboy) and resolves with its file part as
 * soon as the part's headers arrive: nothing is buffered, so the caller can limit the size while
 * storing. Text fields are skipped; a second file makes `rest` reject. The whole body, padding and
 * fields included, fails with StorageError 'too_large' past `maxBodyBytes`.
 */
export const fileFromForm = (request: Request, maxBodyBytes: number): Promise<FilePart> => {
  if (!request.body) return Promise.reject(new MalformedUpload(400, 'Expected a multipart/form-data body'));
  let parser: busboy.Busboy;
  try {
    // Browsers send file names as raw UTF-8; busboy would read them as latin1.
    parser = busboy({ headers: Object.fromEntries(request.headers), limits: LIMITS, defParamCharset: 'utf8' });
  } catch {
    return Promise.reject(new MalformedUpload(415, 'Expected a multipart/form-data body'));
  }
  const body = Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>);
  const input = Readable.from(limitBytes(body, maxBodyBytes, { size: 0 }));
  const abort = () => {
    input.unpipe(parser);
    parser.destroy();
  };

  let finish = () => {};
  let fail = (_err: Error) => {};
  const rest = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  // Awaited later by the caller; until then a rejection must not count as unhandled.
  rest.catch(() => {});

  return new Promise((resolve, reject) => {
    let found = false;
    const refuse = (err: Error) => {
      if (!found) reject(err);
      fail(err);
    };
    parser.on('file', (_field, file, info) => {
      found = true;
      resolve({ filename: info.filename ?? '', body: fileBytes(file), rest, abort });
    });
    parser.on('filesLimit', () => refuse(new MalformedUpload(400, 'Send one file per request')));
    parser.on('fieldsLimit', () => refuse(new MalformedUpload(400, 'Too many form fields')));
    parser.on('partsLimit', () => refuse(new MalformedUpload(400, 'Too many form parts')));
    parser.on('error', (err) => refuse(formError(err)));
    parser.on('close', () => {
      if (!found) refuse(new MalformedUpload(400, 'Expected a file part'));
      finish();
    });
    input.on('error', (err) => parser.destroy(err));
    input.pipe(parser);
  });
};
