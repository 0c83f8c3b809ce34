import { describe, expect, it } from 'vitest';
import { brokenRules, DEFAULT_ANSWERS, DIMENSIONS, RULES } from '../src/choices.js';
import { compose } from '../src/engine/compose.js';
import { parseAnswers, resolveAnswers } from '../src/engine/resolve.js';
import { moduleTemplates } from '../src/engine/templates.js';
import { coveringArray, pairCoverage } from '../src/matrix/cover.js';
import {
  observableSpace,
  parseShard,
  shardCount,
  shardOf,
  smallestCover,
  tier1Plan,
  validProduct,
} from '../src/matrix/plan.js';
import { presets } from '../src/matrix/presets.js';
import {
  answersKey,
  domain,
  flagsFor,
  isValid,
  product,
  REAL_SPACE,
  type Space,
  subsets,
} from '../src/matrix/space.js';
import { checkFile, checkTree, stripJsonc } from '../src/matrix/static.js';
import { indexes, ruleTriggers, TIER0_LIMIT } from '../src/matrix/tier0.js';
import { MODULES } from '../src/modules/index.js';

/** The same dimensions and rules with every planned choice switched on: the product the matrix will face later. */
const FUTURE: Space = {
  dims: DIMENSIONS.map((d) => ({ ...d, choices: d.choices.map((c) => ({ ...c, implemented: true })) })),
  broken: brokenRules,
};

const flagsToRaw = (flags: string[]) => {
  const raw: Record<string, string> = {};
  for (let i = 0; i < flags.length; i += 2) {
    const d = DIMENSIONS.find((x) => x.flag === flags[i]);
    if (d) raw[d.key] = flags[i + 1] as string;
  }
  return raw;
};

describe('matrix: the space', () => {
  it('is the product of implemented choices, every subset for many-dimensions', () => {
    const expected = DIMENSIONS.reduce((n, d) => {
      const k = d.choices.filter((c) => c.implemented).length;
      return n * (d.kind === 'one' ? k : 2 ** k);
    }, 1);
    expect(product().size).toBe(expected);
    expect(subsets(['a', 'b', 'c'])).toHaveLength(8);
  });

  it('gives flags the CLI parses back to the same answers', () => {
    const prod = product();
    for (let i = 0; i < prod.size; i++) {
      const a = prod.at(i);
      if (!isValid(a)) continue;
      const back = resolveAnswers(parseAnswers(flagsToRaw(flagsFor(a))));
      expect(answersKey(back)).toBe(answersKey(a));
    }
  });

  it('keeps only combinations the engine accepts', () => {
    for (const c of validProduct()) expect(brokenRules(c.answers)).toEqual([]);
    const ids = validProduct().map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('matrix: covering array', () => {
  it('covers every valid pair of implemented choices with valid rows', () => {
    const cover = coveringArray();
    for (const row of cover.rows) expect(isValid(row)).toBe(true);
    expect(pairCoverage(cover.rows)).toEqual({ covered: cover.validPairs, total: cover.validPairs });
  });

  it('stays complete and valid once every planned choice is implemented, and names the pairs rules exclude', () => {
    const cover = coveringArray(FUTURE);
    for (const row of cover.rows) expect(brokenRules(row)).toEqual([]);
    expect(pairCoverage(cover.rows, FUTURE)).toEqual({ covered: cover.validPairs, total: cover.validPairs });
    expect(cover.invalidPairs).toContain('cache=memory & jobs=bullmq');
    expect(cover.invalidPairs).toContain('payments=none & iap.apple=on');
    // Largest dimensions are storage and email (5) and deploy (5): at least 25 rows; greedy stays near that.
    expect(cover.rows.length).toBeLessThan(45);
  });

  it('is deterministic', () => {
    expect(coveringArray().rows.map((a) => answersKey(a))).toEqual(coveringArray().rows.map((a) => answersKey(a)));
  });

  it('tier 1 = covering rows + presets, no combination twice, the default preset installs fresh', () => {
    const plan = tier1Plan();
    const keys = plan.combos.map((c) => answersKey(c.answers));
    expect(new Set(keys).size).toBe(keys.length);
    expect(plan.combos.filter((c) => c.install === 'fresh').map((c) => c.id)).toEqual(['default']);
    for (const name of ['default', 'kitchen-sink', 'postgres-redis-bullmq'])
      expect(plan.combos.some((c) => c.id === name) || plan.notes.some((n) => n.includes(name))).toBe(true);
    expect(
      pairCoverage(
        plan.combos.map((c) => c.answers),
        observableSpace(),
      ).covered,
    ).toBe(plan.validPairs);
  });

  it('leaves deploy pairs to tier 0 but runs every deploy target at least once, in valid rows', () => {
    const plan = tier1Plan();
    for (const c of plan.combos) expect(isValid(c.answers)).toBe(true);
    const deploys = new Set(plan.combos.map((c) => c.answers.deploy));
    const implemented = DIMENSIONS.find((d) => d.key === 'deploy')?.choices.filter((c) => c.implemented);
    expect([...deploys].sort()).toEqual(implemented?.map((c) => c.value).sort());
    // Storage x email (25 rows) is the floor; each row is most of a minute of CI.
    expect(smallestCover(observableSpace()).rows.length).toBeLessThanOrEqual(30);
  });
});

describe('matrix: tier 0 sampling', () => {
  const sampleOf = (space: Space) => {
    const prod = product(space);
    const { list, sampled } = indexes(prod.size, TIER0_LIMIT);
    return { list, sampled, rows: list.map((i) => prod.at(i)).filter((a) => isValid(a, space)), size: prod.size };
  };

  it('visits every index once in order, the same ones on every run', () => {
    const { list, size } = sampleOf(FUTURE);
    expect(list).toHaveLength(TIER0_LIMIT);
    expect(list.every((x, i) => x >= 0 && x < size && (i === 0 || x > (list[i - 1] as number)))).toBe(true);
    expect(indexes(size, TIER0_LIMIT).list).toEqual(list);
    expect(indexes(10, 20)).toEqual({ list: [...Array(10).keys()], sampled: false });
  });

  it('covers every valid pair, today and once every planned choice is implemented', () => {
    for (const space of [REAL_SPACE, FUTURE]) {
      const { rows } = sampleOf(space);
      const { covered, total } = pairCoverage(rows, space);
      expect(total).toBeGreaterThan(100);
      expect(covered).toBe(total);
    }
  });

  it('visits every value of every dimension today, every subset of a many-dimension included', () => {
    const { rows } = sampleOf(REAL_SPACE);
    for (const d of REAL_SPACE.dims) {
      const seen = new Set(rows.map((a) => JSON.stringify(a[d.key])));
      for (const v of domain(d)) expect(seen.has(JSON.stringify(v)), `${d.key}=${JSON.stringify(v)}`).toBe(true);
    }
  });
});

describe('matrix: presets', () => {
  const byName = Object.fromEntries(presets().map((p) => [p.name, p]));

  it('default is what --yes gives', () => {
    expect(byName.default?.answers).toEqual(DEFAULT_ANSWERS);
  });

  it('kitchen-sink switches on every implemented many-choice and is valid', () => {
    const a = byName['kitchen-sink']?.answers;
    expect(a && isValid(a)).toBe(true);
    for (const d of DIMENSIONS.filter((x) => x.kind === 'many'))
      expect(a?.[d.key]).toEqual(d.choices.filter((c) => c.implemented).map((c) => c.value));
    expect(a?.db).toBe('postgres');
    expect(a?.cache).toBe('redis');
  });

  it('postgres-redis-bullmq falls back, with a note, while bullmq is not implemented', () => {
    const p = byName['postgres-redis-bullmq'];
    expect(p?.answers.db).toBe('postgres');
    expect(p?.answers.cache).toBe('redis');
    const bullmq = DIMENSIONS.find((d) => d.key === 'jobs')?.choices.find((c) => c.value === 'bullmq');
    if (bullmq?.implemented) expect(p?.answers.jobs).toBe('bullmq');
    else expect(p?.notes.join()).toMatch(/bullmq is not implemented/);
  });

  it('kitchen-sink of the future product obeys the rules', () => {
    const p = presets(FUTURE).find((x) => x.name === 'kitchen-sink');
    expect(p && brokenRules(p.answers)).toEqual([]);
  });
});

describe('matrix: rules', () => {
  it('every rule has a combination that triggers it through resolveAnswers', () => {
    const triggers = ruleTriggers();
    expect(triggers.map((t) => t.rule)).toEqual(RULES.map((r) => r.name));
    for (const t of triggers) expect(t, t.message).toMatchObject({ ok: true });
  });
});

describe('matrix: static checks catch what they claim to', () => {
  const answers = resolveAnswers({});
  const fresh = () => compose({ name: 'matrix-app', answers });

  it('a default project as rendered today has no problem beyond the templates in progress', () => {
    const problems = checkTree(fresh(), answers).filter((p) => p.check === 'catalog' || p.check === 'answers');
    expect(problems).toEqual([]);
  });

  it('leftover template syntax, but not GitHub Actions expressions', () => {
    expect(checkFile('src/a.ts', 'export const a = "{{name}}";\n').map((p) => p.check)).toContain('template-syntax');
    const actions = ['env:', `  A: $${'{{'} secrets.A }}`, ''].join('\n');
    expect(checkFile('.github/workflows/ci.yml', actions)).toEqual([]);
  });

  it('JSON, JSONC, YAML, TOML and TypeScript syntax', () => {
    expect(checkFile('x.json', '{"a": 1,}').map((p) => p.check)).toEqual(['json']);
    expect(checkFile('tsconfig.json', '{\n  // comment\n  "a": "//x", /* b */\n}')).toEqual([]);
    expect(stripJsonc('{"u": "http://x" // c\n}')).toBe('{"u": "http://x" \n}');
    expect(checkFile('render.yaml', 'a: [1, 2\n').map((p) => p.check)).toEqual(['yaml']);
    expect(checkFile('fly.toml', 'a = \n').map((p) => p.check)).toEqual(['toml']);
    expect(checkFile('src/x.ts', 'export const x: number = ;\n').map((p) => p.check)).toEqual(['typescript']);
    expect(checkFile('src/y.ts', 'export const y = <T,>(v: T): T => v;\n')).toEqual([]);
  });

  it('a dependency outside the catalog, or at another version', () => {
    const tree = fresh();
    const pkg = JSON.parse(tree.get('package.json') as string);
    pkg.dependencies['left-pad'] = '1.3.0';
    pkg.dependencies.hono = '0.0.1';
    tree.set('package.json', JSON.stringify(pkg));
    const messages = checkTree(tree, answers)
      .filter((p) => p.check === 'catalog')
      .map((p) => p.message);
    expect(messages.join('\n')).toMatch(/left-pad is not in the catalog/);
    expect(messages.join('\n')).toMatch(/hono is 0\.0\.1, the catalog pins/);
  });

  it('a file only an inactive module writes, and a missing one', () => {
    const paths = (on: boolean) =>
      MODULES.filter((m) => m.when(answers) === on).flatMap((m) =>
        moduleTemplates(m.templateDir ?? m.id).map((t) => t.path),
      );
    const active = new Set(paths(true));
    const foreign = paths(false).find((p) => !active.has(p));
    const tree = fresh();
    tree.delete('package.json');
    if (foreign) tree.set(foreign, 'x');
    const fileSet = checkTree(tree, answers).filter((p) => p.check === 'file-set');
    expect(fileSet.some((p) => p.path === 'package.json' && /missing/.test(p.message))).toBe(true);
    if (foreign) expect(fileSet.some((p) => p.path === foreign && /inactive/.test(p.message))).toBe(true);
  });
});

describe('matrix: shards', () => {
  it('slices the valid product into disjoint shards that cover it', () => {
    const all = validProduct();
    const n = 7;
    const parts = Array.from({ length: n }, (_, i) => shardOf(all, i + 1, n));
    expect(parts.flat().length).toBe(all.length);
    expect(new Set(parts.flat().map((c) => c.id)).size).toBe(all.length);
  });

  it('never lists more than 256 shards and parses i/n', () => {
    expect(shardCount(16_000_000, 10)).toBe(256);
    expect(shardCount(80, 10)).toBe(8);
    expect(shardCount(0, 10)).toBe(1);
    expect(parseShard('3/8')).toEqual({ index: 3, count: 8 });
    expect(() => parseShard('9/8')).toThrow(/--shard/);
    expect(() => parseShard('x')).toThrow(/--shard/);
  });
});
