/**
 * `omnistack add` / `remove`: the new answers a request asks for, checked like create's flags.
 * `add cache redis jobs bullmq` is one change; a `many` dimension takes comma lists or several choices.
 */
import { type Answers, DIMENSIONS, type Dimension } from '../choices.js';
import { UsageError } from './errors.js';
import { assertValid, parseChoice } from './resolve.js';

export type ChangeKind = 'add' | 'remove';

const dimensionNamed = (token: string): Dimension | undefined =>
  DIMENSIONS.find((d) => d.key === token || d.flag === `--${token}`);

/** `[dimension, choices]` pairs in the order given; a choice token is anything that is not a dimension. */
const requests = (kind: ChangeKind, tokens: readonly string[]): [Dimension, string[]][] => {
  const out: [Dimension, string[]][] = [];
  for (const token of tokens) {
    const d = dimensionNamed(token);
    const last = out.at(-1);
    if (d && out.some(([seen]) => seen === d))
      throw new UsageError(
        `${d.key} is named twice in one change.`,
        `name it once: omnistack ${kind} ${d.key} <choice>`,
      );
    if (d) out.push([d, []]);
    else if (last) last[1].push(...token.split(',').filter(Boolean));
    else
      throw new UsageError(
        `Unknown dimension "${token}".`,
        `dimensions: ${DIMENSIONS.map((x) => x.key).join(', ')}; e.g. omnistack ${kind} storage s3`,
      );
  }
  if (out.length === 0) throw new UsageError(`Nothing to ${kind}.`, `e.g. omnistack ${kind} storage s3`);
  return out;
};

const list = (v: string | string[]): string[] => [v].flat();

const addTo = (a: Answers, d: Dimension, choices: string[]): void => {
  if (choices.length === 0)
    throw new UsageError(
      `Which ${d.key}? omnistack add ${d.key} needs a choice.`,
      `e.g. omnistack add ${d.key} ${d.choices.at(-1)?.value}`,
    );
  const picked = list(parseChoice(d, choices));
  const current = list(a[d.key]);
  const present = picked.filter((c) => current.includes(c));
  if (present.length)
    throw new UsageError(
      `${d.key} ${present.join(', ')} is already in this project.`,
      'omnistack list shows its modules',
    );
  if (d.kind === 'one') {
    if (picked.length !== 1) throw new UsageError(`${d.key} takes one choice; got ${picked.join(', ')}.`);
    Object.assign(a, { [d.key]: picked[0] });
  } else Object.assign(a, { [d.key]: parseChoice(d, [...current, ...picked]) });
};

const removeFrom = (a: Answers, d: Dimension, choices: string[]): void => {
  const current = list(a[d.key]).filter((c) => c !== 'none');
  const named = choices.length ? list(parseChoice(d, choices)) : current;
  const absent = named.filter((c) => !current.includes(c));
  const hint = `it has ${d.key} ${current.join(', ') || 'none'} (omnistack list)`;
  if (named.length === 0) throw new UsageError(`This project has no ${d.key} to remove.`, hint);
  if (absent.length) throw new UsageError(`${d.key} ${absent.join(', ')} is not in this project.`, hint);
  if (d.kind === 'many') {
    Object.assign(a, { [d.key]: current.filter((c) => !named.includes(c)) });
    return;
  }
  if (!d.choices.some((c) => c.value === 'none'))
    throw new UsageError(
      `Every project has a ${d.key}; it cannot be removed.`,
      `switch it instead: omnistack add ${d.key} ${d.choices.find((c) => c.value !== a[d.key])?.value}`,
    );
  Object.assign(a, { [d.key]: 'none' });
};

/** The answers after `kind` with `tokens` (e.g. `['cache', 'redis', 'jobs', 'bullmq']`), rules checked. */
export const changeAnswers = (current: Answers, kind: ChangeKind, tokens: readonly string[]): Answers => {
  const next: Answers = structuredClone(current);
  for (const [d, choices] of requests(kind, tokens)) (kind === 'add' ? addTo : removeFrom)(next, d, choices);
  try {
    assertValid(next);
  } catch (err) {
    const e = err as UsageError;
    // The rule's hint speaks create's flags; here the same fix is a change in the same command.
    throw new UsageError(
      e.message,
      `${e.hint?.replace(/--(\w+)/g, '$1')}; several changes go in one command, e.g. omnistack add cache redis jobs bullmq`,
      e.rule,
    );
  }
  return next;
};
