/** Which combinations tiers 1 and 2 run, and on which Node line. */
import { NODE, type NodeLine } from '../catalog.js';
import type { Answers, DimensionKey } from '../choices.js';
import { changeAnswers } from '../engine/change.js';
import { resolveAnswers } from '../engine/resolve.js';
import { coveringArray } from './cover.js';
import { presets } from './presets.js';
import { answersKey, domain, isValid, product, REAL_SPACE, type Space } from './space.js';
import type { Combo } from './tier1.js';

export interface Tier1Plan {
  combos: Combo[];
  validPairs: number;
  invalidPairs: string[];
  notes: string[];
}

/**
 * Presets that run on a line other than the Dockerfile's, so every supported line is proven each run:
 * `default` on the newest (what a new user most likely has, installed fresh as they would), the
 * kitchen sink, with the most modules, on the oldest.
 */
const PRESET_LINES: Record<string, NodeLine> = { default: 26, 'kitchen-sink': 22 };

/**
 * One row reached through `omnistack add` instead of create: tables, a table variant (projects ->
 * projects-owned) and a new module in one add, then every tier-1 step, so the grown migration history
 * and the merged files run for real (the changes check proves the rest in memory-backed folders).
 */
export const addSample = (): Combo => {
  const before = resolveAnswers({ auth: 'none', storage: 'none' });
  const add = ['auth', 'jwt', 'storage', 'local'];
  return {
    id: 'add-sample',
    answers: changeAnswers(before, 'add', add),
    install: 'shared',
    node: NODE.primary,
    via: { before, add },
    notes: [`made with --auth none --storage none, then omnistack add ${add.join(' ')}`],
  };
};

/**
 * Dimensions no tier-1 step can observe. `deploy` writes deploy files (Dockerfile, compose, fly.toml,
 * railway.toml, render.yaml) and a README section: typecheck, tests, build and boot never read them,
 * and tier 0 parses every one of them in each combination it samples. Their pairs are left to tier 0;
 * their values are spread over the covering rows, so each still runs once in tier 1.
 */
const STATIC_ONLY: readonly DimensionKey[] = ['deploy'];

/** The space tier 1 covers pairwise: without the static-only dimensions. */
export const observableSpace = (space: Space = REAL_SPACE): Space => ({
  ...space,
  dims: space.dims.filter((d) => !STATIC_ONLY.includes(d.key)),
});

/** Row i takes the (i mod n)-th value of each static-only dimension; keys in dimension order. */
const spreadStatic = (rows: readonly Answers[], space: Space): Answers[] =>
  rows.map(
    (row, i) =>
      Object.fromEntries(
        space.dims.map((d) => {
          const values = domain(d);
          return [d.key, STATIC_ONLY.includes(d.key) ? values[i % values.length] : row[d.key]];
        }),
      ) as unknown as Answers,
  );

/**
 * The greedy covering array is as good as its random choices: the smallest of a few seeds (each a
 * fraction of a second) saves tier 1 a row or three, and each row is most of a minute.
 */
export const smallestCover = (space: Space, seeds = [1, 2, 3, 4, 5, 6]) =>
  seeds
    .map((seed) => coveringArray(space, 24, seed))
    .reduce((best, next) => (next.rows.length < best.rows.length ? next : best));

/** The covering array plus the named presets (a preset that equals a row replaces it; `default` installs fresh), and the add sample. */
export const tier1Plan = (space: Space = REAL_SPACE): Tier1Plan => {
  const cover = smallestCover(observableSpace(space));
  const rows = spreadStatic(cover.rows, space);
  const named = presets(space);
  const combos: Combo[] = [];
  const seen = new Map<string, Combo>();
  const notes: string[] = [];
  for (const p of named) {
    const key = answersKey(p.answers, space);
    const same = seen.get(key);
    if (same) {
      notes.push(`preset ${p.name} is the same combination as ${same.id}: run once`);
      continue;
    }
    const c: Combo = {
      id: p.name,
      answers: p.answers,
      install: p.name === 'default' ? 'fresh' : 'shared',
      node: PRESET_LINES[p.name] ?? NODE.primary,
      notes: p.notes,
    };
    for (const n of p.notes) notes.push(`preset ${p.name}: ${n}`);
    combos.push(c);
    seen.set(key, c);
  }
  const width = String(rows.length).length;
  rows.forEach((a, i) => {
    const key = answersKey(a, space);
    const same = seen.get(key);
    if (same) {
      notes.push(`covering row ${i + 1} is preset ${same.id}`);
      return;
    }
    const c: Combo = {
      id: `pairs-${String(i + 1).padStart(width, '0')}`,
      answers: a,
      install: 'shared',
      node: NODE.primary,
    };
    combos.push(c);
    seen.set(key, c);
  });
  combos.push(addSample());
  notes.unshift(
    `covering array: ${cover.rows.length} rows for ${cover.validPairs} valid pairs (${cover.invalidPairs.length} pairs excluded by rules) of the dimensions tier 1 observes; ${STATIC_ONLY.join(', ')} spread over the rows (tier 0 covers its pairs)`,
  );
  return { combos, validPairs: cover.validPairs, invalidPairs: cover.invalidPairs, notes };
};

/** Every valid combination of the full product, in product order, with stable ids `c<index>`. */
export const validProduct = (space: Space = REAL_SPACE): Combo[] => {
  const prod = product(space);
  const width = String(prod.size).length;
  const out: Combo[] = [];
  for (let i = 0; i < prod.size; i++) {
    const a = prod.at(i);
    if (isValid(a, space))
      out.push({ id: `c${String(i).padStart(width, '0')}`, answers: a, install: 'shared', node: NODE.primary });
  }
  return out;
};

export const parseShard = (text: string): { index: number; count: number } => {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count)
    throw new Error(`--shard wants i/n with 1 <= i <= n, got "${text}"`);
  return { index, count };
};

/** Round-robin slice, so every shard gets a mix of the product. */
export const shardOf = <T>(all: readonly T[], index: number, count: number): T[] =>
  all.filter((_, i) => i % count === index - 1);

/** At most 256 jobs (GitHub's matrix limit), about `perShard` combinations each. */
export const shardCount = (total: number, perShard: number, max = 256): number =>
  Math.max(1, Math.min(max, Math.ceil(total / Math.max(1, perShard))));
