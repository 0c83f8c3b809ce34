/** Named combinations tier 1 always runs, on top of the covering array. */
import type { Answers, PartialAnswers } from '../choices.js';
import { resolveAnswers } from '../engine/resolve.js';
import { type Assignment, complete, type Param, params, REAL_SPACE, type Space, toAnswers } from './space.js';

export interface Preset {
  name: string;
  answers: Answers;
  /** Where the preset had to differ from what its name promises (unimplemented choices, rules). */
  notes: string[];
}

/** Everything implemented switched on: for `one` dimensions the last implemented choice that is not `none`. */
const kitchenSink = (space: Space): Preset => {
  const ps = params(space);
  const order = (p: number): number[] => {
    const param = ps[p] as Param;
    if (param.choice !== undefined) return [1, 0];
    const idx = param.values.map((_, i) => i);
    const some = idx.filter((i) => param.values[i] !== 'none').reverse();
    return [...some, ...idx.filter((i) => param.values[i] === 'none')];
  };
  const greedy: Assignment = ps.map((_, i) => order(i)[0] as number);
  const found = complete(
    ps,
    ps.map(() => -1),
    space,
    order,
  );
  if (!found) throw new Error('matrix: no valid combination exists at all');
  const notes = ps
    .map((p, i) =>
      found[i] !== greedy[i]
        ? `${p.name}: ${p.values[found[i] as number]} instead of ${p.values[greedy[i] as number]} (a rule forbids the combination)`
        : '',
    )
    .filter(Boolean);
  return { name: 'kitchen-sink', answers: toAnswers(ps, found, space), notes };
};

/** A preset given as wishes: choices that are not implemented yet fall back to the default, with a note. */
const wish = (name: string, want: PartialAnswers, space: Space): Preset => {
  const notes: string[] = [];
  const given: Record<string, unknown> = {};
  for (const d of space.dims) {
    const v = want[d.key];
    if (v === undefined) continue;
    const values = Array.isArray(v) ? v : [v];
    const missing = values.filter((x) => !d.choices.find((c) => c.value === x)?.implemented);
    if (missing.length) notes.push(`${d.flag} ${missing.join(',')} is not implemented yet: left at the default`);
    const kept = values.filter((x) => !missing.includes(x));
    if (d.kind === 'many') given[d.key] = kept;
    else if (kept.length) given[d.key] = kept[0];
  }
  return { name, answers: resolveAnswers(given as PartialAnswers), notes };
};

export const presets = (space: Space = REAL_SPACE): Preset[] => [
  { name: 'default', answers: resolveAnswers({}), notes: [] },
  kitchenSink(space),
  wish('postgres-redis-bullmq', { db: 'postgres', cache: 'redis', jobs: 'bullmq' }, space),
];
