import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { StorageError } from '../../lib/storage/storage.js';

/** What file-type reads to recognize most formats. */
const SNIFF_BYTES = 4100;

/** The content type of bytes file-type does not recognize (text among them: it has no magic number). */
export const UNKNOWN_CONTENT_TYPE = 'application/octet-stream';

export interface Inspection {
  /** Sniffed from the first bytes, never taken from the client. */
  contentType: string;
  /** The same bytes, counted and hashed as they pass; errors with StorageError 'too_large' past `maxBytes`. */
  stream: ReadableStream<Uint8Array>;
  /** Size and hex SHA-256 of everything `stream` gave so far: call it once the stream is fully read. */
  digest: () => { size: number; sha256: string };
}

/**
 * Reads just enough of `source` to sniff its content type, then hands the whole of it on as a stream
 * that enforces `maxBytes` and computes size and checksum in the same pass, so a file is read once.
 */
export const inspect = async (source: AsyncIterable<Uint8Array>, maxBytes: number): Promise<Inspection> => {
  const chunks = source[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headSize = 0;
  let ended = false;
  while (headSize < SNIFF_BYTES && headSize <= maxBytes) {
    const next = await chunks.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(next.value);
    headSize += next.value.byteLength;
  }
  const tooLarge = async () => {
    await chunks.return?.(); // stop reading the source: nothing more of it is wanted
    return new StorageError('too_large', `file is larger than ${maxBytes} bytes`);
  };
  if (headSize > maxBytes) throw await tooLarge();
  const sniffed = await fileTypeFromBuffer(Buffer.concat(head));

  const hash = createHash('sha256');
  for (const chunk of head) hash.update(chunk);
  let size = headSize;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of head) controller.enqueue(chunk);
      if (ended) controller.close();
    },
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) return controller.close();
      size += next.value.byteLength;
      if (size > maxBytes) throw await tooLarge();
      hash.update(next.value);
      controller.enqueue(next.value);
    },
    async cancel() {
      await chunks.return?.();
    },
  });
  return {
    contentType: sniffed?.mime ?? UNKNOWN_CONTENT_TYPE,
    stream,
    digest: () => ({ size, sha256: hash.digest('hex') }),
  };
};

/** Reads a stream to its end, keeping nothing: for checking bytes that are already stored. */
export const drain = (stream: ReadableStream<Uint8Array>): Promise<void> => stream.pipeTo(new WritableStream());
