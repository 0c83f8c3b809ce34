/**
 * The cases of the `changes` check: for each row and each module X it contains, the row without X
 * (X's dimension at its base), the `omnistack add` that brings X back, and the commands that undo it.
 */
import { type Answers, type Dimension, type DimensionKey, dimension } from '../choices.js';
import type { ChangeKind } from '../engine/change.js';
import { REAL_SPACE, type Space } from './space.js';

export interface ChangeOp {
  kind: ChangeKind;
  tokens: string[];
}

export interface ChangeCase {
  /** `<row id>+<dimension>=<choice>`. */
  id: string;
  rowId: string;
  before: Answers;
  /** The row's answers: what `add` must reach. */
  after: Answers;
  /** `omnistack add` tokens, e.g. `['cache', 'redis', 'jobs', 'bullmq']`. */
  add: string[];
  /** The commands that take X out again, in order: removes first (so no rule breaks between them), then switches back. */
  inverse: ChangeOp[];
}

/** A dimension without X: `none` where it has one, nothing for `many`, else its default (cache memory, db sqlite). */
export const baseOf = (d: Dimension): string | string[] =>
  d.kind === 'many' ? [] : d.choices.some((c) => c.value === 'none') ? 'none' : (d.defaultValue as string);

const list = (v: string | string[]): string[] => [v].flat();
const differs = (a: Answers, b: Answers, k: DimensionKey): boolean => list(a[k]).join() !== list(b[k]).join();

/** The modules of a row in one dimension: each chosen value that is not the base. */
const modulesIn = (d: Dimension, a: Answers): string[] =>
  d.kind === 'many' ? list(a[d.key]) : a[d.key] === baseOf(d) ? [] : [a[d.key] as string];

const caseFor = (rowId: string, after: Answers, d: Dimension, choice: string, space: Space): ChangeCase => {
  const before = structuredClone(after);
  const set = (k: DimensionKey, v: string | string[]) => Object.assign(before, { [k]: v });
  set(d.key, d.kind === 'many' ? list(after[d.key]).filter((c) => c !== choice) : (baseOf(d) as string));
  // A rule the row without X breaks (bullmq without redis): its dimensions go to their base too.
  for (let round = 0, broken = space.broken(before); broken.length; broken = space.broken(before)) {
    if (round++ > space.dims.length)
      throw new Error(`${rowId} without ${d.key} ${choice} breaks ${broken[0]?.name} at every base`);
    for (const r of broken) for (const k of r.dims) set(k, baseOf(dimension(k)));
  }
  const changed = space.dims.filter((x) => differs(before, after, x.key));
  const added = (x: Dimension) => list(after[x.key]).filter((c) => !list(before[x.key]).includes(c));
  const removable = changed.filter((x) => x.kind === 'many' || baseOf(x) === 'none');
  const switched = changed.filter((x) => !removable.includes(x));
  const inverse: ChangeOp[] = [];
  if (removable.length) inverse.push({ kind: 'remove', tokens: removable.flatMap((x) => [x.key, ...added(x)]) });
  if (switched.length) inverse.push({ kind: 'add', tokens: switched.flatMap((x) => [x.key, before[x.key] as string]) });
  return {
    id: `${rowId}+${d.key}=${choice}`,
    rowId,
    before,
    after,
    add: changed.flatMap((x) => [x.key, ...added(x)]),
    inverse,
  };
};

/** Every (row, module) case, in row then dimension order. */
export const changeCases = (
  rows: readonly { id: string; answers: Answers }[],
  space: Space = REAL_SPACE,
): ChangeCase[] =>
  rows.flatMap((row) =>
    space.dims.flatMap((d) =>
      modulesIn(d, row.answers).map((choice) => caseFor(row.id, row.answers, d, choice, space)),
    ),
  );
