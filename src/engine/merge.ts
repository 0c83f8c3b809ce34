/**
 * Three-way merges of one file: base = what create-omnistack last wrote (the record), ours = the new
 * render, theirs = the file on disk. JSON files merge by tree, `.env.example` by variable, anything
 * else by line (node-diff3). A conflict is reported, never resolved by dropping a side.
 */
import { diff3Merge } from 'node-diff3';

export interface Labels {
  /** The file on disk, e.g. `yours`. */
  theirs: string;
  /** The last render, e.g. `create-omnistack 0.1.0`. */
  base: string;
  /** The new render, e.g. `omnistack add storage s3`. */
  ours: string;
}

export interface Merged {
  text: string;
  /** Regions both sides changed differently; `text` carries git-style markers for each. */
  conflicts: number;
  how: 'json' | 'env' | 'lines';
}

const splitLines = (text: string): string[] => text.split('\n');

/** A line merge; conflicting regions get markers in git's diff3 style (yours, base, then the new render). */
const mergeLines = (base: string, ours: string, theirs: string, labels: Labels): Merged => {
  const out: string[] = [];
  let conflicts = 0;
  for (const region of diff3Merge(splitLines(theirs), splitLines(base), splitLines(ours))) {
    if (region.ok) {
      out.push(...region.ok);
      continue;
    }
    const c = region.conflict;
    if (!c) continue;
    conflicts++;
    out.push(
      `<<<<<<< ${labels.theirs}`,
      ...c.a,
      `||||||| ${labels.base}`,
      ...c.o,
      '=======',
      ...c.b,
      `>>>>>>> ${labels.ours}`,
    );
  }
  return { text: out.join('\n'), conflicts, how: 'lines' };
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const same = (a: Json | undefined, b: Json | undefined): boolean => JSON.stringify(a) === JSON.stringify(b);
const isObject = (v: Json | undefined): v is { [key: string]: Json } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Sentinel for "both sides changed this value differently". */
const CONFLICT = Symbol('conflict');

/**
 * Objects merge key by key, keeping the order of the file on disk and placing a new key after the key
 * it follows in the new render. Any other value is taken from the side that changed it.
 */
const mergeValue = (
  base: Json | undefined,
  ours: Json | undefined,
  theirs: Json | undefined,
): Json | undefined | typeof CONFLICT => {
  if (same(ours, theirs) || same(ours, base)) return theirs;
  if (same(theirs, base)) return ours;
  if (!(isObject(ours) && isObject(theirs))) return CONFLICT;
  const b = isObject(base) ? base : {};
  const keys = Object.keys(theirs);
  let previous: string | undefined;
  for (const key of Object.keys(ours)) {
    if (!keys.includes(key) && !(key in b))
      keys.splice(previous === undefined ? 0 : keys.indexOf(previous) + 1, 0, key);
    if (keys.includes(key)) previous = key;
  }
  const out: { [key: string]: Json } = {};
  for (const key of keys) {
    const merged = mergeValue(b[key], ours[key], theirs[key]);
    if (merged === CONFLICT) return CONFLICT;
    if (merged !== undefined) out[key] = merged;
  }
  return out;
};

const parseJson = (text: string): Json | undefined => {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
};

/** A JSON merge by tree, or undefined when a side does not parse or a value conflicts (then lines decide). */
const mergeJson = (base: string, ours: string, theirs: string): Merged | undefined => {
  const [b, o, t] = [parseJson(base), parseJson(ours), parseJson(theirs)];
  if (b === undefined || o === undefined || t === undefined) return undefined;
  const merged = mergeValue(b, o, t);
  if (merged === CONFLICT || merged === undefined) return undefined;
  // The user's indentation (spaces or tabs) and final newline are kept.
  const indent = /^\{\n([ \t]+)"/.exec(theirs)?.[1] ?? 2;
  return {
    text: `${JSON.stringify(merged, null, indent)}${theirs.endsWith('\n') ? '\n' : ''}`,
    conflicts: 0,
    how: 'json',
  };
};

/** `.env.example` as blocks: each variable with the comment lines above it. */
interface EnvBlock {
  key: string;
  text: string;
}

const envBlocks = (text: string): EnvBlock[] | undefined => {
  const blocks: EnvBlock[] = [];
  let pending: string[] = [];
  for (const line of text.replace(/\n$/, '').split('\n')) {
    pending.push(line);
    const key = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(line)?.[1];
    if (!key) continue;
    if (blocks.some((b) => b.key === key)) return undefined;
    blocks.push({ key, text: pending.join('\n') });
    pending = [];
  }
  // Trailing lines with no variable after them belong to the file's end.
  if (pending.some((l) => l.trim() !== '')) blocks.push({ key: '', text: pending.join('\n') });
  return blocks;
};

/** `.env.example` merged by variable: yours keep their place and value, new ones arrive where the render puts them. */
const mergeEnv = (base: string, ours: string, theirs: string): Merged | undefined => {
  const [b, o, t] = [envBlocks(base), envBlocks(ours), envBlocks(theirs)];
  if (!b || !o || !t) return undefined;
  const byKey = (blocks: EnvBlock[]): Json => Object.fromEntries(blocks.map((x) => [x.key, x.text]));
  const merged = mergeValue(byKey(b), byKey(o), byKey(t));
  if (merged === CONFLICT || !isObject(merged)) return undefined;
  return { text: `${Object.values(merged).join('\n')}\n`, conflicts: 0, how: 'env' };
};

export const mergeFile = (path: string, base: string, ours: string, theirs: string, labels: Labels): Merged => {
  const structured = path.endsWith('.json')
    ? mergeJson(base, ours, theirs)
    : path === '.env.example'
      ? mergeEnv(base, ours, theirs)
      : undefined;
  return structured ?? mergeLines(base, ours, theirs, labels);
};
