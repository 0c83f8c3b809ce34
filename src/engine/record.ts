/**
 * A project's record, read back and checked before anything changes it: `omnistack.json` (the answers
 * and the version that rendered them) and `.omnistack/files.json` (per file, the text last rendered).
 * A damaged, hand-edited or newer record is refused with what to do, so nothing is merged against
 * a base that is not what create-omnistack wrote.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Answers, DIMENSIONS, PACKAGE_MANAGERS, type PackageManager } from '../choices.js';
import { UsageError } from './errors.js';
import { parseAnswers, type RawAnswers, resolveAnswers } from './resolve.js';
import { type FileRecord, STATE_FILE, sha256, toolVersion } from './state.js';

export const PROJECT_FILE = 'omnistack.json';

export interface ProjectRecord {
  root: string;
  version: string;
  name: string;
  packageManager: PackageManager;
  answers: Answers;
  /** Path -> the text create-omnistack last wrote there. */
  base: Map<string, string>;
}

const RESTORE = `restore it with \`git checkout -- ${PROJECT_FILE} ${STATE_FILE}\` (both are committed with the project)`;

const readJson = (root: string, path: string): unknown => {
  const file = join(root, path);
  if (!existsSync(file)) throw new UsageError(`${path} is missing in ${root}.`, RESTORE);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`${file} is damaged: ${(err as Error).message}`, RESTORE);
  }
};

/** A project-relative path that stays inside the project: no absolute path, no `..`, no backslash. */
export const insideProject = (path: unknown): boolean =>
  typeof path === 'string' &&
  path !== '' &&
  !path.startsWith('/') &&
  !path.includes('\\') &&
  !path.split('/').some((segment) => segment === '..' || segment === '.' || segment === '');

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `[major, minor, patch]` of a plain version, for ordering. */
const parts = (v: string): number[] => v.split(/[.+-]/).slice(0, 3).map(Number);
const newerThan = (a: string, b: string): boolean => {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
  return false;
};

const checkAnswers = (raw: unknown, file: string): Answers => {
  if (!isRecord(raw)) throw new UsageError(`${file} has no "answers" object.`, RESTORE);
  const unknown = Object.keys(raw).filter((k) => !DIMENSIONS.some((d) => d.key === k));
  if (unknown.length) throw new UsageError(`${file} names unknown dimensions: ${unknown.join(', ')}.`, RESTORE);
  try {
    return resolveAnswers(parseAnswers(raw as RawAnswers));
  } catch (err) {
    throw new UsageError(`${file} holds answers this version cannot build: ${(err as Error).message}`, RESTORE);
  }
};

export const readProject = (root: string): ProjectRecord => {
  const project = readJson(root, PROJECT_FILE);
  const files = readJson(root, STATE_FILE);
  if (!isRecord(project) || typeof project.version !== 'string' || typeof project.name !== 'string')
    throw new UsageError(`${join(root, PROJECT_FILE)} lacks "version" or "name".`, RESTORE);
  if (!/^\d+\.\d+\.\d+([-+][\w.+-]*)?$/.test(project.version))
    throw new UsageError(`${join(root, PROJECT_FILE)} is damaged: "${project.version}" is not a version.`, RESTORE);
  if (newerThan(project.version, toolVersion()))
    throw new UsageError(
      `This project was made by create-omnistack ${project.version}, newer than this one (${toolVersion()}).`,
      `run the project's own version: npm install, then npx omnistack (package.json pins create-omnistack)`,
    );
  const pm = PACKAGE_MANAGERS.find((m) => m === (project.packageManager ?? 'npm'));
  if (!pm)
    throw new UsageError(`${PROJECT_FILE} names an unknown package manager "${project.packageManager}".`, RESTORE);
  const answers = checkAnswers(project.answers, PROJECT_FILE);
  if (!isRecord(files)) throw new UsageError(`${STATE_FILE} is not an object of files.`, RESTORE);
  const base = new Map<string, string>();
  for (const [path, entry] of Object.entries(files)) {
    if (!insideProject(path))
      throw new UsageError(`${STATE_FILE} names a path outside the project: ${JSON.stringify(path)}.`, RESTORE);
    const { sha256: hash, base: text } = (entry ?? {}) as Partial<FileRecord>;
    if (typeof text !== 'string' || hash !== sha256(text))
      throw new UsageError(`${STATE_FILE} was edited: the record of ${path} does not match its checksum.`, RESTORE);
    base.set(path, text);
  }
  // The project file is the record's, not a hand edit: the files were rendered from what it says.
  const recorded = base.get(PROJECT_FILE);
  if (recorded === undefined)
    throw new UsageError(
      `${STATE_FILE} has no record of ${PROJECT_FILE}, so it is not a create-omnistack record.`,
      RESTORE,
    );
  if (JSON.stringify(JSON.parse(recorded)) !== JSON.stringify(project))
    throw new UsageError(
      `${PROJECT_FILE} was edited by hand; the files were rendered from what its record says.`,
      `put it back (\`git checkout -- ${PROJECT_FILE}\`) and change modules with omnistack add / omnistack remove`,
    );
  return { root, version: project.version, name: project.name, packageManager: pm, answers, base };
};
