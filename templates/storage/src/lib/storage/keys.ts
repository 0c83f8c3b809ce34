import { randomUUID } from 'node:crypto';
import { StorageError } from './storage.js';

/** Keys are random UUIDs: unguessable, and safe as file names and object keys everywhere. */
const KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const newKey = (): string => randomUUID();

/** False for anything `newKey` could not have made: `../x`, `/etc/passwd`, `%2e%2e`, NUL bytes, ... */
export const isKey = (key: string): boolean => KEY.test(key);

export const assertKey = (key: string): void => {
  if (!isKey(key)) throw new StorageError('invalid_key', 'invalid storage key');
};
