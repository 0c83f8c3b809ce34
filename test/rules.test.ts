import { describe, expect, it } from 'vitest';
import {
  type Answers,
  brokenRules,
  DEFAULT_ANSWERS,
  DIMENSIONS,
  implementedChoices,
  type PartialAnswers,
  RULES,
} from '../src/choices.js';
import { UsageError } from '../src/engine/errors.js';
import {
  assertValid,
  fillForced,
  forcedAnswer,
  parseAnswers,
  parseChoice,
  resolveAnswers,
  validChoicesFor,
} from '../src/engine/resolve.js';
import { REPAIRED, VIOLATIONS } from './examples.js';

const usageError = (fn: () => unknown): UsageError => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }
  throw new Error('expected a UsageError');
};

describe('rules', () => {
  it('every rule has a breaking and a repaired example here', () => {
    expect(Object.keys(VIOLATIONS).sort()).toEqual(RULES.map((r) => r.name).sort());
    expect(Object.keys(REPAIRED).sort()).toEqual(RULES.map((r) => r.name).sort());
  });

  it('rule names are unique and every rule says what is wrong and what to do', () => {
    expect(new Set(RULES.map((r) => r.name)).size).toBe(RULES.length);
    for (const r of RULES) {
      expect(r.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(r.message.length).toBeGreaterThan(10);
      expect(r.hint.length).toBeGreaterThan(5);
      for (const k of r.dims) expect(DIMENSIONS.map((d) => d.key)).toContain(k);
    }
  });

  for (const rule of RULES) {
    it(`${rule.name} fires by name (exit code 2, with its hint)`, () => {
      const bad = VIOLATIONS[rule.name] as PartialAnswers;
      expect(brokenRules(bad).map((r) => r.name)).toContain(rule.name);
      const err = usageError(() => resolveAnswers(bad));
      expect(err.rule).toBe(rule.name);
      expect(err.exitCode).toBe(2);
      expect(err.message).toContain(rule.name);
      expect(err.hint).toBe(rule.hint);
      expect(usageError(() => assertValid({ ...DEFAULT_ANSWERS, ...bad })).rule).toBe(rule.name);
    });

    it(`${rule.name} passes once repaired, and waits until its dimensions are answered`, () => {
      expect(brokenRules({ ...DEFAULT_ANSWERS, ...REPAIRED[rule.name] }).map((r) => r.name)).not.toContain(rule.name);
      const bad = VIOLATIONS[rule.name] as PartialAnswers;
      const [first] = rule.dims;
      const partial: Record<string, unknown> = { ...bad };
      delete partial[first as string];
      expect(brokenRules(partial as PartialAnswers).map((r) => r.name)).not.toContain(rule.name);
    });
  }

  it('the defaults break no rule and use only implemented choices', () => {
    expect(brokenRules(DEFAULT_ANSWERS)).toEqual([]);
    expect(resolveAnswers({})).toEqual(DEFAULT_ANSWERS);
    for (const d of DIMENSIONS) {
      const v = DEFAULT_ANSWERS[d.key];
      if (d.kind === 'one') {
        expect(v).toBe(d.choices[0]?.value);
        expect(implementedChoices(d)).toContain(v);
      } else expect(v).toEqual([]);
    }
  });

  it('the default preset needs no server and no key', () => {
    expect(DEFAULT_ANSWERS).toMatchObject({
      db: 'sqlite',
      cache: 'memory',
      storage: 'local',
      email: 'console',
      ai: [],
      payments: 'none',
      jobs: 'none',
    } satisfies Partial<Answers>);
  });
});

describe('parsing choices', () => {
  it('accepts every implemented choice of every dimension', () => {
    for (const d of DIMENSIONS) {
      for (const c of implementedChoices(d)) {
        expect(parseChoice(d, c)).toEqual(d.kind === 'many' ? [c] : c);
      }
    }
  });

  it('refuses every unimplemented choice, saying it is planned and listing what is available', () => {
    let planned = 0;
    for (const d of DIMENSIONS) {
      for (const c of d.choices.filter((x) => !x.implemented)) {
        planned++;
        const err = usageError(() => parseChoice(d, c.value));
        expect(err.message).toBe(`${d.flag} ${c.value} is planned but not available in this version.`);
        expect(err.hint).toBe(`available: ${implementedChoices(d).join(', ') || 'none'}`);
      }
    }
    expect(planned).toBeGreaterThan(0);
  });

  it('refuses an unknown value, listing the valid ones', () => {
    const db = DIMENSIONS.find((d) => d.key === 'db');
    if (!db) throw new Error('no db dimension');
    const err = usageError(() => parseAnswers({ db: 'mysql' }));
    expect(err.message).toBe('Unknown value "mysql" for --db.');
    expect(err.hint).toBe(`valid values: ${implementedChoices(db).join(', ')}`);
  });

  it('reads a set from a comma list or repeated flags, in canonical order, with none meaning empty', () => {
    const many = DIMENSIONS.filter((d) => d.kind === 'many');
    expect(many.length).toBeGreaterThan(0);
    for (const d of many) {
      expect(parseChoice(d, 'none')).toEqual([]);
      expect(parseChoice(d, '')).toEqual([]);
      const ready = implementedChoices(d);
      if (ready.length >= 2) {
        const [a, b] = ready as [string, string];
        expect(parseChoice(d, `${b},${a}`)).toEqual([a, b]);
        expect(parseChoice(d, [b, a, b])).toEqual([a, b]);
      }
    }
  });
});

describe('validChoicesFor', () => {
  /** Answer sets to check against: the defaults and each implemented choice of each dimension. */
  const samples: PartialAnswers[] = [
    {},
    DEFAULT_ANSWERS,
    ...DIMENSIONS.flatMap((d) =>
      implementedChoices(d).map((c) => ({ ...DEFAULT_ANSWERS, [d.key]: d.kind === 'many' ? [c] : c })),
    ),
    ...Object.values(VIOLATIONS),
  ];

  it('offers exactly the implemented choices that break no rule with the answers so far', () => {
    for (const sofar of samples) {
      for (const d of DIMENSIONS) {
        const rest: Record<string, unknown> = { ...sofar };
        delete rest[d.key];
        const offered = validChoicesFor(d, rest as PartialAnswers);
        const ready = implementedChoices(d);
        for (const c of offered) expect(ready).toContain(c);
        for (const c of ready) {
          const ok = brokenRules({ ...rest, [d.key]: d.kind === 'many' ? [c] : c } as PartialAnswers).length === 0;
          expect(offered.includes(c)).toBe(ok);
        }
      }
    }
  });

  it('never offers a planned choice', () => {
    for (const d of DIMENSIONS) {
      const planned = d.choices.filter((c) => !c.implemented).map((c) => c.value);
      for (const c of validChoicesFor(d, {})) expect(planned).not.toContain(c);
    }
  });

  it('follows the rules: jobs and cache', () => {
    const jobs = DIMENSIONS.find((d) => d.key === 'jobs');
    const cache = DIMENSIONS.find((d) => d.key === 'cache');
    if (!jobs || !cache) throw new Error('missing dimension');
    expect(validChoicesFor(jobs, { cache: 'memory' })).not.toContain('bullmq');
    if (implementedChoices(jobs).includes('bullmq')) {
      expect(validChoicesFor(jobs, { cache: 'redis' })).toContain('bullmq');
      expect(validChoicesFor(cache, { jobs: 'bullmq' })).toEqual(['redis']);
    }
  });

  it('settles a dimension with one valid choice (or an empty set) without asking', () => {
    for (const d of DIMENSIONS) {
      const valid = validChoicesFor(d, {});
      const forced = forcedAnswer(d, {});
      if (d.kind === 'one') expect(forced).toEqual(valid.length === 1 ? valid[0] : undefined);
      else expect(forced).toEqual(valid.length === 0 ? [] : undefined);
    }
    const { answers, open } = fillForced({});
    for (const d of open) expect(answers[d.key]).toBeUndefined();
    for (const d of DIMENSIONS.filter((x) => !open.includes(x))) expect(answers[d.key]).toBeDefined();
    // Everything settled + defaults for the rest is a valid project.
    expect(() => resolveAnswers(answers)).not.toThrow();
  });
});
