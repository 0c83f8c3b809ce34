import { StorageError } from './storage.js';

const tooLarge = (maxBytes: number) => new StorageError('too_large', `file is larger than ${maxBytes} bytes`);

/**
 * Passes `source` through, counting its bytes into `counted`, and fails once there are more than
 * `maxBytes`: a body is refused while it arrives, whatever length its sender claimed.
 */
export async function* limitBytes(
  source: AsyncIterable<Uint8Array>,
  maxBytes: number,
  counted: { size: number },
): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    counted.size += chunk.byteLength;
    if (counted.size > maxBytes) throw tooLarge(maxBytes);
    yield chunk;
  }
}

/**
 * `limitBytes` for a body sent on to a storage service. An HTTP client reports a failing body as a
 * failed request of its own; `state.error` keeps the body's error (over the limit, the client gone),
 * which is the one to report.
 */
export const limitedBody = (source: AsyncIterable<Uint8Array>, maxBytes: number) => {
  const state: { size: number; error?: unknown } = { size: 0 };
  async function* bytes(): AsyncGenerator<Uint8Array> {
    try {
      yield* limitBytes(source, maxBytes, state);
    } catch (err) {
      state.error = err;
      throw err;
    }
  }
  return { bytes: bytes(), state };
};
