/**
 * User edits for the `changes` check: seeded random inserts, deletions and changed lines in a few
 * files of a fresh project, half of them inside the regions the add rewrites. After the add, every
 * line the user wrote must still be there (in place, or on the "yours" side of a conflict), and a
 * line the user deleted must stay deleted wherever the merge was clean.
 */
import { diffIndices } from 'node-diff3';
import { STATE_FILE } from '../engine/state.js';
import type { Tree } from '../engine/tree.js';
import { ENV_FILE } from '../engine/update.js';
import { isMigrationHistory } from './changes-tree.js';

/** mulberry32: small, fast and the same everywhere, so a seed reproduces a run. */
export const prng = (seed: number): (() => number) => {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** One seed per (run seed, case, round), so a case reproduces alone with `--only`. */
export const seedFor = (seed: number, ...parts: (string | number)[]): number => {
  let h = 0x811c9dc5 ^ seed;
  for (const ch of parts.join('\0')) h = Math.imul(h ^ (ch.codePointAt(0) ?? 0), 0x01000193);
  return h >>> 0;
};

export interface FileEdits {
  path: string;
  /** The file as the user left it. */
  text: string;
  /** Unique tokens of the lines the user wrote, in file order. */
  markers: string[];
  /** Lines the user deleted, each with its neighbours then: that run of lines must not come back. */
  deleted: { line: string; run: string[] }[];
}

/** Files a user edits: what create wrote (and the .env), but not the record, the answers or drizzle's meta files. */
export const editable = (tree: Tree): string[] =>
  [...tree.keys()].filter(
    (p) => p !== STATE_FILE && p !== 'omnistack.json' && !(isMigrationHistory(p) && p.includes('/meta/')),
  );

/** [start, end) line ranges of `base` that `ours` rewrites (a pure insertion is the line it goes before). */
const rewritten = (base: string, ours: string | undefined): [number, number][] =>
  ours === undefined
    ? []
    : diffIndices(base.split('\n'), ours.split('\n')).map((d) => [
        d.buffer1[0],
        d.buffer1[0] + Math.max(d.buffer1[1], 1),
      ]);

const userLine = (path: string, n: number, next: string | undefined): { line: string; marker: string } => {
  const indent = /^\s*/.exec(next ?? '')?.[0] ?? '';
  if (path.endsWith('.env.example') || path === ENV_FILE)
    return { line: `OMNISTACK_FUZZ_${n}=user`, marker: `OMNISTACK_FUZZ_${n}=` };
  if (path.endsWith('.json'))
    return { line: `${indent}"omnistack-fuzz-${n}": "user",`, marker: `"omnistack-fuzz-${n}"` };
  return { line: `${indent}// omnistack-fuzz-${n} user`, marker: `omnistack-fuzz-${n} ` };
};

/** 1-3 edits to one file; `counter` numbers the user's lines across files. */
export const editFile = (
  rand: () => number,
  path: string,
  base: string,
  ours: string | undefined,
  counter: { n: number },
): FileEdits => {
  const lines = base.split('\n');
  const ranges = rewritten(base, ours);
  const pick = (n: number) => Math.floor(rand() * n);
  const markers: { marker: string; line: string }[] = [];
  const deleted: FileEdits['deleted'] = [];
  const edits = 1 + pick(3);
  for (let i = 0; i < edits; i++) {
    const range = ranges.length && rand() < 0.5 ? ranges[pick(ranges.length)] : undefined;
    // The last line of a file ending in a newline is empty: never removed, so the file keeps its end.
    const last = lines.at(-1) === '' ? lines.length - 1 : lines.length;
    const at = Math.min(range ? range[0] + pick(range[1] - range[0] + 1) : pick(last + 1), last);
    const kind = rand();
    const current = lines[at];
    // Only a line create wrote (the user's own lines are all kept, to be looked for) and one of a kind.
    const removable =
      at < last &&
      current !== undefined &&
      current.trim() !== '' &&
      !markers.some((m) => m.line === current) &&
      lines.filter((l) => l === current).length === 1;
    if (kind >= 0.45 && removable) {
      const next = at + 1 === last && lines.at(-1) === '' ? [] : [lines[at + 1] ?? ''];
      deleted.push({ line: current, run: [...(at > 0 ? [lines[at - 1] ?? ''] : []), current, ...next] });
      lines.splice(at, 1);
      if (kind < 0.7) continue; // a deletion; otherwise the line is changed into the user's own
    }
    const { line, marker } = userLine(path, ++counter.n, lines[at]);
    lines.splice(at, 0, line);
    markers.push({ marker, line });
  }
  const text = lines.join('\n');
  // In file order, which is what the merge must keep.
  const ordered = markers.map((m) => m.marker).sort((a, b) => text.indexOf(a) - text.indexOf(b));
  return { path, text, markers: ordered, deleted };
};

/** How often `run` stands as whole consecutive lines in `text`. */
const count = (text: string | undefined, run: readonly string[]): number =>
  text === undefined ? 0 : `\n${text}\n`.split(`\n${run.join('\n')}\n`).length - 1;

/**
 * What the merged file lost of the user's edits: a line they wrote missing or out of order, or (in a
 * clean merge) a deleted line back in place: more often than the new render (`ours`) adds it anew.
 */
export const lostEdits = (
  e: FileEdits,
  merged: string | undefined,
  renders: { base?: string; ours?: string; clean: boolean },
): string[] => {
  if (merged === undefined) return [`${e.path}: gone, with the user's lines ${e.markers.join(', ')}`];
  const out: string[] = [];
  let from = 0;
  for (const m of e.markers) {
    const i = merged.indexOf(m, from);
    if (i >= 0) from = i + m.length;
    else out.push(`${e.path}: the user's line ${m} ${merged.includes(m) ? 'moved out of order' : 'is lost'}`);
  }
  if (renders.clean)
    for (const d of e.deleted)
      if (count(merged, d.run) > Math.max(0, count(renders.ours, d.run) - count(renders.base, d.run)))
        out.push(`${e.path}: the line the user deleted is back: ${JSON.stringify(d.line)}`);
  return out;
};
