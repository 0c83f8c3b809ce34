import {
  type Answers,
  brokenRules,
  DEFAULT_ANSWERS,
  DIMENSIONS,
  type Dimension,
  type DimensionKey,
  implementedChoices,
  type PartialAnswers,
} from '../choices.js';
import { UsageError } from './errors.js';

/** Raw flag values as the CLI received them (`--ai openai,gemini` arrives as a string). */
export type RawAnswers = Partial<Record<DimensionKey, string | string[]>>;

/** `--ai openai,gemini` and `--ai openai --ai gemini` both mean the set {openai, gemini}. */
const splitList = (v: string | string[]): string[] =>
  [v]
    .flat()
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== 'none');

/** Checks one dimension's raw value and returns it in canonical form. */
export const parseChoice = (d: Dimension, raw: string | string[]): string | string[] => {
  const valid = implementedChoices(d);
  const values = d.kind === 'many' ? splitList(raw) : [String(raw).trim()];
  for (const v of values) {
    const known = d.choices.find((c) => c.value === v);
    if (known && !known.implemented) {
      throw new UsageError(
        `${d.flag} ${v} is planned but not available in this version.`,
        `available: ${valid.join(', ') || 'none'}`,
      );
    }
    if (!known) {
      const list = d.kind === 'many' ? ['none', ...valid] : valid;
      throw new UsageError(`Unknown value "${v}" for ${d.flag}.`, `valid values: ${list.join(', ')}`);
    }
  }
  if (d.kind === 'one') return values[0] as string;
  // Canonical order (catalog order) and no duplicates, so equal sets render identically.
  return d.choices.map((c) => c.value).filter((c) => values.includes(c));
};

/** Parses every given flag; throws a UsageError naming the flag on the first bad value. */
export const parseAnswers = (raw: RawAnswers): PartialAnswers => {
  const out: Record<string, string | string[]> = {};
  for (const d of DIMENSIONS) {
    const v = raw[d.key];
    if (v !== undefined) out[d.key] = parseChoice(d, v);
  }
  return out as PartialAnswers;
};

/** Fills defaults and checks every rule. */
export const resolveAnswers = (given: PartialAnswers): Answers => {
  const answers = { ...DEFAULT_ANSWERS, ...given };
  assertValid(answers);
  return answers;
};

export const assertValid = (a: PartialAnswers): void => {
  const [rule] = brokenRules(a);
  if (rule) throw new UsageError(`Invalid combination (rule ${rule.name}): ${rule.message}`, rule.hint, rule.name);
};

/** The choices a prompt may offer for `d`, given the answers so far. */
export const validChoicesFor = (d: Dimension, sofar: PartialAnswers): string[] =>
  implementedChoices(d).filter((c) => brokenRules({ ...sofar, [d.key]: d.kind === 'many' ? [c] : c }).length === 0);

/**
 * The answer for `d` when there is nothing to choose: the only valid choice of a `one` dimension,
 * or the empty set of a `many` dimension with no valid choice. `undefined` when a person must choose.
 */
export const forcedAnswer = (d: Dimension, sofar: PartialAnswers): string | string[] | undefined => {
  const valid = validChoicesFor(d, sofar);
  if (d.kind === 'one') return valid.length === 1 ? valid[0] : undefined;
  return valid.length === 0 ? [] : undefined;
};

/**
 * Fills every dimension that leaves nothing to choose, in prompt order; returns the answers
 * so far and the dimensions that still need a person (or a flag).
 */
export const fillForced = (given: PartialAnswers): { answers: PartialAnswers; open: Dimension[] } => {
  const answers: Record<string, string | string[]> = { ...given } as Record<string, string | string[]>;
  const open: Dimension[] = [];
  for (const d of DIMENSIONS) {
    if (answers[d.key] !== undefined) continue;
    const forced = forcedAnswer(d, answers as PartialAnswers);
    if (forced === undefined) open.push(d);
    else answers[d.key] = forced;
  }
  return { answers: answers as PartialAnswers, open };
};
