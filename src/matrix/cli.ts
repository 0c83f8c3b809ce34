/**
 * `npm run matrix -- --tier 0|1|2|changes [--shard i/n] [--list-shards] [--node 22|24|26] [--json]`
 * Exit 0 when everything passed, 1 when something failed, 2 on a usage error.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import type { NodeLine } from '../catalog.js';
import { TEMPLATES_ROOT } from '../engine/templates.js';
import { DEFAULT_SEED, runChanges, SEED_ENV } from './changes.js';
import { stopOnSignals } from './exec.js';
import { isNodeLine, NODE_LINES } from './node-runtime.js';
import { parseShard, shardCount, shardOf, tier1Plan, validProduct } from './plan.js';
import { formatFailure, formatReport, type TierReport } from './report.js';
import { fallbackMode } from './services.js';
import { runTier0 } from './tier0.js';
import { type Combo, runCombos } from './tier1.js';

interface Opts {
  tier: number | 'changes';
  shard?: string;
  listShards?: boolean;
  perShard: number;
  json?: boolean;
  concurrency?: number;
  out: string;
  keep?: boolean;
  only?: string;
  report?: string;
  node?: NodeLine;
}

const int = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
};

const tierArg = (v: string): number | 'changes' => (v === 'changes' ? v : int(v));

const nodeLine = (v: string): NodeLine => {
  const n = Number(v);
  if (!isNodeLine(n)) throw new InvalidArgumentError(`expected one of ${NODE_LINES.join(', ')}`);
  return n;
};

const program = () =>
  new Command('matrix')
    .description('Generate combinations of choices and check them (see src/matrix/README.md).')
    .option(
      '--tier <n>',
      '0: all combinations in memory; 1: covering array + presets on disk; 2: full product on disk; changes: omnistack add/remove/undo on the tier-1 rows',
      tierArg,
      0,
    )
    .option('--shard <i/n>', 'tier 2: run slice i of n of the valid product')
    .option('--list-shards', 'tier 2: print the shard list as JSON for a GitHub Actions matrix, run nothing')
    .option('--per-shard <n>', 'tier 2: combinations per shard when listing shards (at most 256 shards)', int, 10)
    .option('--json', 'print the report as JSON on stdout (progress goes to stderr)')
    .option('--concurrency <n>', 'combinations run at once (default: CPU count)', int)
    .option('--out <dir>', 'where generated projects go', 'matrix-out')
    .option('--keep', 'keep projects that passed too')
    .option('--only <ids>', 'tiers 1/2/changes: run only these combination (or changes case) ids (comma list)')
    .option('--report <file>', 'also write the JSON report to this file')
    .option('--node <line>', `tiers 1/2: run every combination on this Node line (${NODE_LINES.join(', ')})`, nodeLine)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

export const main = async (argv: string[]): Promise<number> => {
  const cmd = program();
  try {
    cmd.parse(argv, { from: 'user' });
  } catch (err) {
    const e = err as { code?: string };
    return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 2;
  }
  const o = cmd.opts<Opts>();
  try {
    fallbackMode();
  } catch (err) {
    process.stderr.write(`matrix: ${(err as Error).message}\n`);
    return 2;
  }
  const seed = Number(process.env[SEED_ENV] ?? DEFAULT_SEED);
  if (!Number.isSafeInteger(seed)) {
    process.stderr.write(`matrix: ${SEED_ENV} must be a whole number\n`);
    return 2;
  }
  const out = (l: string) => (o.json ? process.stderr : process.stdout).write(`${l}\n`);
  const repoRoot = join(TEMPLATES_ROOT, '..');
  const outRoot = resolve(repoRoot, o.out);
  const only = o.only ? new Set(o.only.split(',').map((s) => s.trim())) : undefined;
  const pick = (xs: Combo[]): Combo[] =>
    (only ? xs.filter((x) => only.has(x.id)) : xs).map((c) => (o.node ? { ...c, node: o.node } : c));
  stopOnSignals();

  let report: TierReport;
  try {
    if (o.tier === 0) {
      report = await runTier0({ bin: join(repoRoot, 'bin', 'create-omnistack.js'), outDir: outRoot, log: out });
    } else if (o.tier === 1) {
      const plan = tier1Plan();
      report = await runCombos({
        tier: 1,
        combos: pick(plan.combos),
        repoRoot,
        outDir: join(outRoot, 'tier1'),
        concurrency: o.concurrency,
        keep: o.keep,
        log: out,
        notes: plan.notes,
        excludedPairs: plan.invalidPairs.length,
      });
    } else if (o.tier === 'changes') {
      report = await runChanges({
        // The rows create makes; the add sample is itself made by an add.
        rows: tier1Plan().combos.filter((c) => !c.via),
        ...(only ? { only } : {}),
        outDir: join(outRoot, 'changes'),
        repoRoot,
        seed,
        keep: o.keep,
        log: out,
      });
    } else if (o.tier === 2) {
      const all = validProduct();
      if (o.listShards) {
        const n = shardCount(all.length, o.perShard);
        process.stdout.write(`${JSON.stringify({ shard: Array.from({ length: n }, (_, i) => `${i + 1}/${n}`) })}\n`);
        return 0;
      }
      const shard = o.shard ? parseShard(o.shard) : { index: 1, count: 1 };
      const combos = pick(shardOf(all, shard.index, shard.count));
      report = await runCombos({
        tier: 2,
        combos,
        repoRoot,
        outDir: join(outRoot, `tier2-${shard.index}-of-${shard.count}`),
        concurrency: o.concurrency,
        keep: o.keep,
        log: out,
        notes: [`shard ${shard.index}/${shard.count}: ${combos.length} of ${all.length} valid combinations`],
      });
    } else {
      process.stderr.write('matrix: --tier must be 0, 1, 2 or changes\n');
      return 2;
    }
  } catch (err) {
    const e = err as Error;
    process.stderr.write(`matrix: ${e.message}\n`);
    if (/--shard/.test(e.message)) return 2;
    out('0 passed, 1 failed');
    return 1;
  }

  for (const f of report.failures) out(formatFailure(f));
  out(formatReport(report));
  if (o.report) {
    mkdirSync(dirname(resolve(o.report)), { recursive: true });
    writeFileSync(resolve(o.report), `${JSON.stringify(report, null, 2)}\n`);
  }
  if (o.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  return report.failed > 0 ? 1 : 0;
};

process.exitCode = await main(process.argv.slice(2));
// Whatever a generated project left open (a pool, a socket) must not keep the matrix alive.
setTimeout(() => process.exit(), 1000).unref();
