/**
 * Tier 0: every combination of implemented choices rendered in memory and checked statically;
 * every invalid one must fail with the rule that forbids it; every rule must be reachable.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Answers, type DimensionKey, RULES } from '../choices.js';
import { apply } from '../engine/apply.js';
import { compose } from '../engine/compose.js';
import { UsageError } from '../engine/errors.js';
import { planCreate } from '../engine/plan.js';
import { parseAnswers, type RawAnswers, resolveAnswers } from '../engine/resolve.js';
import { prng } from './changes-fuzz.js';
import { turn } from './exec.js';
import { type Failure, median, sh, stepStats, type TierReport } from './report.js';
import {
  answersKey,
  describe as describeCombo,
  domain,
  flagsFor,
  isValid,
  product,
  REAL_SPACE,
  type Space,
} from './space.js';
import { checkTree, fileCacheStats } from './static.js';

/** Above this many combinations tier 0 samples (see src/matrix/README.md). */
export const TIER0_LIMIT = 4_000;
const SAMPLE_SEED = 17;

export interface Tier0Options {
  /** Absolute path of bin/create-omnistack.js, for reproduce lines. */
  bin: string;
  /** Where failing combinations are written for inspection. */
  outDir: string;
  limit?: number;
  space?: Space;
  log?: (line: string) => void;
}

const NAME = 'matrix-app';

const createLine = (bin: string, a: Answers, space: Space, extra: string[] = ['--no-install', '--no-git']) =>
  ['node', bin, NAME, ...flagsFor(a, space), ...extra].map(sh).join(' ');

/** Indexes of the product to visit: all of it, or a deterministic sample when it is too large. */
export const indexes = (size: number, limit: number): { list: number[]; sampled: boolean } => {
  if (size <= limit) return { list: Array.from({ length: size }, (_, i) => i), sampled: false };
  // One index at a seeded random place in each of `limit` equal strata: every region of the
  // mixed-radix order is visited, and no fixed stride can alias with a dimension's radix (a stride
  // of 4 over deploy x ai would only ever pair ai=none with one deploy target).
  const step = size / limit;
  const rand = prng(SAMPLE_SEED);
  return { list: Array.from({ length: limit }, (_, i) => Math.floor((i + rand()) * step)), sampled: true };
};

/** What the CLI does with the flags for `a`: parse them, fill defaults, check the rules. */
const resolveFlags = (a: Answers, space: Space): Answers => {
  const flags = flagsFor(a, space);
  const raw: RawAnswers = {};
  for (let i = 0; i < flags.length; i += 2) {
    const d = space.dims.find((x) => x.flag === flags[i]);
    if (d) raw[d.key as DimensionKey] = flags[i + 1] as string;
  }
  return resolveAnswers(parseAnswers(raw));
};

/** The flags round-trip: what the CLI would parse from them is exactly these answers. */
const roundTrips = (a: Answers, space: Space): boolean =>
  answersKey(resolveFlags(a, space), space) === answersKey(a, space);

export interface RuleTrigger {
  rule: string;
  flags?: string;
  /** The combination uses choices that are not implemented yet, so only resolveAnswers can reach it today. */
  unimplemented: string[];
  ok: boolean;
  message?: string;
}

/**
 * For each rule, a combination that triggers it: defaults everywhere except the rule's own
 * dimensions, which range over all their choices (implemented or not). Prefers a combination
 * that breaks only this rule, then one that needs no unimplemented choice.
 */
export const ruleTriggers = (space: Space = REAL_SPACE): RuleTrigger[] =>
  RULES.map((rule): RuleTrigger => {
    const dims = space.dims.filter((d) => rule.dims.includes(d.key));
    let combos: Record<string, unknown>[] = [{}];
    for (const d of dims) combos = combos.flatMap((c) => domain(d, true).map((v) => ({ ...c, [d.key]: v })));
    const scored = combos
      .map((given) => {
        const a = { ...resolveDefaults(), ...given } as Answers;
        const broken = space.broken(a).map((r) => r.name);
        const unimplemented = dims.flatMap((d) => {
          const v = a[d.key];
          return (Array.isArray(v) ? v : [v]).filter((x) => !d.choices.find((c) => c.value === x)?.implemented);
        });
        return { a, broken, unimplemented };
      })
      .filter((c) => c.broken.includes(rule.name))
      .sort((x, y) => x.broken.length - y.broken.length || x.unimplemented.length - y.unimplemented.length);
    const best = scored[0];
    if (!best) return { rule: rule.name, unimplemented: [], ok: false, message: 'no combination triggers this rule' };
    const flags = flagsFor(best.a, space).map(sh).join(' ');
    try {
      resolveAnswers(best.a);
      return {
        rule: rule.name,
        flags,
        unimplemented: best.unimplemented,
        ok: false,
        message: 'resolveAnswers accepted it',
      };
    } catch (err) {
      const ok = err instanceof UsageError && err.rule === best.broken[0] && err.exitCode === 2;
      return {
        rule: rule.name,
        flags,
        unimplemented: best.unimplemented,
        ok: ok && best.broken[0] === rule.name,
        ...(ok ? {} : { message: `threw ${String(err)} (rule ${(err as UsageError).rule})` }),
      };
    }
  });

const resolveDefaults = (): Answers => resolveAnswers({});

export const runTier0 = async (o: Tier0Options): Promise<TierReport> => {
  const space = o.space ?? REAL_SPACE;
  const log = o.log ?? (() => {});
  const started = performance.now();
  const prod = product(space);
  const { list, sampled } = indexes(prod.size, o.limit ?? TIER0_LIMIT);
  const failures: Failure[] = [];
  const samples: { step: string; ms: number; ok: boolean }[] = [];
  const perCombo: number[] = [];
  let valid = 0;
  let invalid = 0;
  let passed = 0;
  const outDir = join(o.outDir, 'tier0');
  rmSync(outDir, { recursive: true, force: true });

  for (const [i, index] of list.entries()) {
    if (i % 100 === 0) await turn();
    const a = prod.at(index);
    const id = `c${String(index).padStart(String(prod.size).length, '0')}`;
    const combination = describeCombo(a, space);
    const t0 = performance.now();
    if (!isValid(a, space)) {
      invalid++;
      const expected = space.broken(a)[0]?.name;
      let got: string | undefined;
      try {
        resolveFlags(a, space);
      } catch (err) {
        if (err instanceof UsageError) got = err.rule;
      }
      const ok = got === expected;
      samples.push({ step: 'invalid', ms: performance.now() - t0, ok });
      if (ok) passed++;
      else
        failures.push({
          id,
          step: 'invalid',
          combination,
          message: `expected rule ${expected}, got ${got ?? 'no error'}`,
          reproduce: [
            { cwd: '<an empty folder>', command: `${createLine(o.bin, a, space)}  # expect exit 2, rule ${expected}` },
          ],
        });
      continue;
    }
    valid++;
    let tree: Map<string, string>;
    try {
      if (!roundTrips(a, space)) throw new Error('the flags for this combination do not parse back to it');
      tree = compose({ name: NAME, answers: a });
    } catch (err) {
      samples.push({ step: 'render', ms: performance.now() - t0, ok: false });
      failures.push({
        id,
        step: 'render',
        combination,
        message: (err as Error).message,
        reproduce: [{ cwd: '<an empty folder>', command: createLine(o.bin, a, space) }],
      });
      continue;
    }
    const t1 = performance.now();
    samples.push({ step: 'render', ms: t1 - t0, ok: true });
    const problems = checkTree(tree, a);
    const t2 = performance.now();
    samples.push({ step: 'check', ms: t2 - t1, ok: problems.length === 0 });
    perCombo.push(t2 - t0);
    if (problems.length === 0) {
      passed++;
      continue;
    }
    const kept = join(outDir, id, NAME);
    await apply(planCreate(tree, kept, false));
    const byCheck = [...new Set(problems.map((p) => p.check))];
    failures.push({
      id,
      step: byCheck.join('+'),
      combination,
      message: problems
        .slice(0, 12)
        .map((p) => `${p.check}: ${p.path ?? ''} ${p.message}`)
        .join('\n  ')
        .concat(problems.length > 12 ? `\n  ... and ${problems.length - 12} more` : ''),
      reproduce: [{ cwd: '<an empty folder>', command: createLine(o.bin, a, space) }],
      kept,
    });
    log(`FAIL ${id} ${combination}: ${byCheck.join(', ')}`);
  }

  const triggers = ruleTriggers(space);
  for (const t of triggers) {
    samples.push({ step: 'rule', ms: 0, ok: t.ok });
    if (t.ok) passed++;
    else
      failures.push({
        id: t.rule,
        step: 'rule',
        message: t.message ?? 'rule not triggered',
        reproduce: t.flags ? [{ cwd: '<an empty folder>', command: `node ${sh(o.bin)} ${NAME} ${t.flags}` }] : [],
      });
  }

  const notes = [
    `product of implemented choices: ${prod.size} combinations, ${valid} valid, ${invalid} invalid`,
    `file checks memoized: ${fileCacheStats.misses} distinct files parsed, ${fileCacheStats.hits} repeats skipped`,
    ...triggers.map(
      (t) =>
        `rule ${t.rule}: ${t.ok ? 'triggered' : 'NOT triggered'} by ${t.flags ?? '-'}${
          t.unimplemented.length
            ? ` (uses ${t.unimplemented.join(', ')}, not implemented yet: reached through resolveAnswers only)`
            : ''
        }`,
    ),
  ];
  if (sampled)
    notes.unshift(
      `product too large (${prod.size} > ${o.limit ?? TIER0_LIMIT}): sampled ${list.length} combinations, one in each equal stratum`,
    );
  if (invalid === 0) notes.push('no invalid combination among implemented choices yet');
  return {
    tier: 0,
    combinations: valid + invalid,
    passed,
    failed: failures.length,
    failures,
    steps: stepStats(samples),
    medianComboMs: median(perCombo),
    totalMs: performance.now() - started,
    notes,
    details: { valid, invalid, productSize: prod.size, sampled, rules: triggers },
  };
};
