import { StorageError } from './storage.js';

export const tooLarge = (maxBytes: number) => new StorageError('too_large', `file is larger than ${maxBytes} bytes`);

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
