/**
 * Pairwise covering array over the implemented choices, restricted to valid combinations.
 * Greedy (AETG-style): each new row starts from an uncovered pair and fills the other
 * parameters one by one with the value that covers most uncovered pairs, never leaving the set
 * of valid combinations (checked through the engine's rules). Deterministic: fixed seed.
 */
import type { Answers } from '../choices.js';
import {
  type Assignment,
  complete,
  fromAnswers,
  type Param,
  params,
  REAL_SPACE,
  type Space,
  toAnswers,
} from './space.js';

/** `i:vi|j:vj` with i < j (parameter and value indexes). */
export type PairKey = string;

const pairKey = (i: number, vi: number, j: number, vj: number): PairKey =>
  i < j ? `${i}:${vi}|${j}:${vj}` : `${j}:${vj}|${i}:${vi}`;

export const pairsOf = (row: Assignment): PairKey[] => {
  const out: PairKey[] = [];
  for (let i = 0; i < row.length; i++)
    for (let j = i + 1; j < row.length; j++) out.push(pairKey(i, row[i] as number, j, row[j] as number));
  return out;
};

export interface PairUniverse {
  params: Param[];
  /** Pairs that occur in at least one valid combination. */
  valid: Set<PairKey>;
  /** Pairs that only occur in combinations a rule forbids. */
  invalid: PairKey[];
}

export const pairUniverse = (space: Space = REAL_SPACE): PairUniverse => {
  const ps = params(space);
  const valid = new Set<PairKey>();
  const invalid: PairKey[] = [];
  for (let i = 0; i < ps.length; i++)
    for (let j = i + 1; j < ps.length; j++)
      for (let vi = 0; vi < (ps[i] as Param).values.length; vi++)
        for (let vj = 0; vj < (ps[j] as Param).values.length; vj++) {
          const asg: Assignment = ps.map(() => -1);
          asg[i] = vi;
          asg[j] = vj;
          if (complete(ps, asg, space)) valid.add(pairKey(i, vi, j, vj));
          else invalid.push(pairKey(i, vi, j, vj));
        }
  return { params: ps, valid, invalid };
};

export const describePair = (ps: readonly Param[], key: PairKey): string =>
  key
    .split('|')
    .map((part) => {
      const [p, v] = part.split(':').map(Number) as [number, number];
      const param = ps[p] as Param;
      return `${param.name}=${param.values[v]}`;
    })
    .join(' & ');

/** mulberry32: small, fast, deterministic. */
const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const shuffle = <T>(xs: T[], rand: () => number): T[] => {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
};

export interface CoveringArray {
  params: Param[];
  rows: Answers[];
  validPairs: number;
  invalidPairs: string[];
}

export const coveringArray = (space: Space = REAL_SPACE, candidates = 24, seed = 20240601): CoveringArray => {
  const universe = pairUniverse(space);
  const ps = universe.params;
  const uncovered = new Set(universe.valid);
  const rand = rng(seed);
  const rows: Assignment[] = [];
  while (uncovered.size > 0) {
    let best: { row: Assignment; gain: number } | undefined;
    const seeds = [...uncovered];
    for (let c = 0; c < candidates; c++) {
      const start = seeds[c === 0 ? 0 : Math.floor(rand() * seeds.length)] as PairKey;
      const asg: Assignment = ps.map(() => -1);
      for (const part of start.split('|')) {
        const [p, v] = part.split(':').map(Number) as [number, number];
        asg[p] = v;
      }
      for (const p of shuffle(
        ps.map((_, i) => i).filter((i) => (asg[i] as number) < 0),
        rand,
      )) {
        let pick = -1;
        let pickGain = -1;
        for (const v of shuffle(
          (ps[p] as Param).values.map((_, i) => i),
          rand,
        )) {
          let gain = 0;
          for (let q = 0; q < ps.length; q++)
            if (q !== p && (asg[q] as number) >= 0 && uncovered.has(pairKey(p, v, q, asg[q] as number))) gain++;
          if (gain <= pickGain) continue;
          const tryAsg = [...asg];
          tryAsg[p] = v;
          if (!complete(ps, tryAsg, space)) continue;
          pick = v;
          pickGain = gain;
        }
        asg[p] = pick;
      }
      const gain = pairsOf(asg).filter((k) => uncovered.has(k)).length;
      if (!best || gain > best.gain) best = { row: asg, gain };
    }
    const row = (best as { row: Assignment }).row;
    rows.push(row);
    for (const k of pairsOf(row)) uncovered.delete(k);
  }
  return {
    params: ps,
    rows: rows.map((r) => toAnswers(ps, r, space)),
    validPairs: universe.valid.size,
    invalidPairs: universe.invalid.map((k) => describePair(ps, k)),
  };
};

/** How many of the valid pairs a set of combinations covers. */
export const pairCoverage = (
  rows: readonly Answers[],
  space: Space = REAL_SPACE,
): { covered: number; total: number } => {
  const universe = pairUniverse(space);
  const seen = new Set<PairKey>();
  for (const a of rows)
    for (const k of pairsOf(fromAnswers(universe.params, a))) if (universe.valid.has(k)) seen.add(k);
  return { covered: seen.size, total: universe.valid.size };
};
