/**
 * The space the matrix walks: built only from DIMENSIONS and the engine's rule check, so a choice
 * that flips to `implemented: true` joins every tier without an edit here.
 */
import {
  type Answers,
  answerFlags,
  brokenRules,
  DIMENSIONS,
  type Dimension,
  type DimensionKey,
  type PartialAnswers,
  type Rule,
} from '../choices.js';

export interface Space {
  dims: readonly Dimension[];
  /** The engine's check: rules broken by (possibly partial) answers. */
  broken: (a: PartialAnswers) => Rule[];
}

export const REAL_SPACE: Space = { dims: DIMENSIONS, broken: brokenRules };

export type Value = string | string[];

const chosen = (d: Dimension, all: boolean): string[] =>
  d.choices.filter((c) => all || c.implemented).map((c) => c.value);

/** Every subset of `values`, each in the given (canonical) order; the empty set first. */
export const subsets = (values: readonly string[]): string[][] => {
  const out: string[][] = [];
  for (let mask = 0; mask < 1 << values.length; mask++) out.push(values.filter((_, i) => mask & (1 << i)));
  return out;
};

/** The values one dimension takes in the product: its choices, or every subset for `many`. */
export const domain = (d: Dimension, all = false): Value[] =>
  d.kind === 'one' ? chosen(d, all) : subsets(chosen(d, all));

/** A mixed-radix view of the full product of implemented choices (valid or not). */
export interface Product {
  dims: readonly Dimension[];
  domains: Value[][];
  size: number;
  at(index: number): Answers;
}

export const product = (space: Space = REAL_SPACE, all = false): Product => {
  const domains = space.dims.map((d) => domain(d, all));
  const size = domains.reduce((n, d) => n * d.length, 1);
  return {
    dims: space.dims,
    domains,
    size,
    at(index) {
      const picked: Value[] = [];
      let rest = index;
      for (let i = space.dims.length - 1; i >= 0; i--) {
        const dom = domains[i] as Value[];
        picked[i] = dom[rest % dom.length] as Value;
        rest = Math.floor(rest / dom.length);
      }
      // Keys in dimension order, like resolveAnswers builds them.
      return Object.fromEntries(space.dims.map((d, i) => [d.key, picked[i]])) as unknown as Answers;
    },
  };
};

export const isValid = (a: Answers, space: Space = REAL_SPACE): boolean => space.broken(a).length === 0;

/** Stable identity of a combination (canonical answers, dimension order). */
export const answersKey = (a: Answers, space: Space = REAL_SPACE): string =>
  space.dims
    .map((d) => {
      const v = a[d.key];
      return `${d.key}=${Array.isArray(v) ? v.join('+') || 'none' : v}`;
    })
    .join(' ');

/** The create-omnistack flags that produce `a`: every dimension given, so defaults changing cannot alter it. */
export const flagsFor = (a: Answers, space: Space = REAL_SPACE): string[] => answerFlags(a, space.dims);

/** Short label: only the dimensions that differ from their default. */
export const describe = (a: Answers, space: Space = REAL_SPACE): string => {
  const parts = space.dims.flatMap((d) => {
    const v = a[d.key];
    const def = d.defaultValue;
    const same = Array.isArray(v) ? v.join(',') === (def as string[]).join(',') : v === def;
    if (same) return [];
    return [`${d.key}=${Array.isArray(v) ? v.join('+') || 'none' : v}`];
  });
  return parts.join(' ') || '(defaults)';
};

/**
 * Parameters for pairwise coverage. A `one` dimension is one parameter whose values are its
 * implemented choices; a `many` dimension becomes one on/off parameter per implemented choice
 * (so "openai on with redis" is a pair, and subsets are reached through the on/off pairs).
 */
export interface Param {
  name: string;
  dim: DimensionKey;
  /** For `many` dimensions: the choice this on/off parameter switches. */
  choice?: string;
  values: string[];
}

export const params = (space: Space = REAL_SPACE): Param[] =>
  space.dims.flatMap((d): Param[] =>
    d.kind === 'one'
      ? [{ name: d.key, dim: d.key, values: chosen(d, false) }]
      : chosen(d, false).map((c) => ({ name: `${d.key}.${c}`, dim: d.key, choice: c, values: ['off', 'on'] })),
  );

/** A (partial) assignment: parameter index -> value index. -1 = not assigned yet. */
export type Assignment = number[];

/** Answers for the dimensions whose parameters are all assigned (a `many` with no implemented choice is always `[]`). */
export const toPartial = (ps: readonly Param[], asg: Assignment, space: Space = REAL_SPACE): PartialAnswers => {
  const out: Record<string, Value> = {};
  for (const d of space.dims) {
    const idx = ps.map((p, i) => (p.dim === d.key ? i : -1)).filter((i) => i >= 0);
    if (idx.some((i) => (asg[i] ?? -1) < 0)) continue;
    if (d.kind === 'one') {
      const i = idx[0] as number;
      out[d.key] = (ps[i] as Param).values[asg[i] as number] as string;
    } else {
      out[d.key] = idx.filter((i) => asg[i] === 1).map((i) => (ps[i] as Param).choice as string);
    }
  }
  return out as PartialAnswers;
};

export const toAnswers = (ps: readonly Param[], asg: Assignment, space: Space = REAL_SPACE): Answers =>
  toPartial(ps, asg, space) as Answers;

export const fromAnswers = (ps: readonly Param[], a: Answers): Assignment =>
  ps.map((p) => {
    const v = a[p.dim];
    if (p.choice !== undefined) return (v as string[]).includes(p.choice) ? 1 : 0;
    return p.values.indexOf(v as string);
  });

/**
 * Completes a partial assignment into a valid one (depth-first, values tried in `order`), or
 * returns null when no valid combination extends it. Rules are checked on partial answers, so
 * dead branches are cut as soon as a rule's dimensions are all set.
 */
export const complete = (
  ps: readonly Param[],
  asg: Assignment,
  space: Space = REAL_SPACE,
  order: (p: number) => number[] = (p) => (ps[p] as Param).values.map((_, i) => i),
): Assignment | null => {
  if (space.broken(toPartial(ps, asg, space)).length > 0) return null;
  const next = asg.findIndex((v) => v < 0);
  if (next < 0) return asg;
  for (const v of order(next)) {
    const tryAsg = [...asg];
    tryAsg[next] = v;
    const done = complete(ps, tryAsg, space, order);
    if (done) return done;
  }
  return null;
};
