import { dirname, resolve } from 'node:path';
import { StorageError } from './storage.js';

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
