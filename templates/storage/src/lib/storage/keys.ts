import { randomUUID } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { StorageError } from './storage.js';

/** Keys are random UUIDs: unguessable, and safe as file names on every platform. */
const KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const newKey = (): string => randomUUID();

/** False for anything `newKey` could not have made: `../x`, `/etc/passwd`, `%2e%2e`, NUL bytes, ... */
export const isKey = (key: string): boolean => KEY.test(key);

export const assertKey = (key: string): void => {
  if (!isKey(key)) throw new StorageError('invalid_key', 'invalid storage key');
};

/**
 * The file for `name` directly inside `root`. A second line of defence behind `assertKey`: it holds
 * whatever the name, so widening the key format later cannot open a path out of the folder.
 */
export const fileInside = (root: string, name: string): string => {
  const file = resolve(root, name);
  if (name.includes('\0') || dirname(file) !== resolve(root)) {
    throw new StorageError('invalid_key', 'storage path escapes its folder');
  }
  return file;
};
