import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPLATES_ROOT } from './templates.js';

/**
 * What we last wrote into a project: per file, a hash (to tell whether the user edited it)
 * and the rendered text (the base of a later three-way merge, so `add` never needs to
 * re-render an old version of this tool).
 */
export const STATE_FILE = '.omnistack/files.json';

export interface FileRecord {
  sha256: string;
  base: string;
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export const recordFiles = (files: ReadonlyMap<string, string>): string => {
  const record: Record<string, FileRecord> = {};
  for (const [path, text] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (path !== STATE_FILE) record[path] = { sha256: sha256(text), base: text };
  }
  return `${JSON.stringify(record, null, 2)}\n`;
};

let version: string | undefined;
export const toolVersion = (): string => {
  version ??= (JSON.parse(readFileSync(join(TEMPLATES_ROOT, '..', 'package.json'), 'utf8')) as { version: string })
    .version;
  return version;
};
