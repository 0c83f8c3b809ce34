// `npm test`: the whole suite. Build, the generator's vitest suite, then matrix tiers 0, changes
// (omnistack add/remove/undo over the tier-1 rows) and 1.
// Keeps going after a failure so the closing `N passed, N failed` line counts everything;
// exits non-zero if anything failed. Arguments go to vitest (`npm test -- test/cli.test.ts`).
// MATRIX_TIERS=0 runs only tier 0; MATRIX_TIERS= (empty) skips the matrix.
// Tier 1 uses PostgreSQL and Redis servers when they answer, else stand-ins (PGlite; a private
// redis-server, or no Redis: Redis tests and boots skipped); the summary says which, and counts skips.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const reports = join(root, 'matrix-out', 'reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

let passed = 0;
let failed = 0;
const lines = [];

/**
 * The step running now. A SIGTERM (a CI timeout) or SIGHUP is passed on to it, so it can stop what it
 * started; Ctrl-C reaches the whole foreground group already. Either way no later step starts.
 */
let current;
let stoppedBy;
for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'])
  process.on(signal, () => {
    stoppedBy = signal;
    if (signal !== 'SIGINT') current?.kill(signal);
  });

const run = async (label, cmd, args) => {
  if (stoppedBy) return { ok: false, code: stoppedBy, secs: '0', label };
  process.stdout.write(`\n$ ${[cmd, ...args].join(' ')}\n`);
  const t0 = Date.now();
  current = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
  const [code, signal] = await new Promise((resolve) => current.on('close', (c, s) => resolve([c, s])));
  current = undefined;
  const secs = ((Date.now() - t0) / 1000).toFixed(0);
  return { ok: code === 0, code: code ?? signal, secs, label };
};

/** Counts from a JSON report; a run that wrote none counts as one failure. */
const count = (label, result, file, pick) => {
  let counts;
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
    counts = pick(report);
  } catch {
    counts = { passed: 0, failed: 1 };
  }
  if (!result.ok && counts.failed === 0) counts.failed = 1; // it failed outside what it counts
  passed += counts.passed;
  failed += counts.failed;
  lines.push(
    `${label.padEnd(19)} ${String(counts.passed).padStart(4)} passed ${String(counts.failed).padStart(4)} failed  (${result.secs}s)`,
  );
  // Matrix tiers 1/2: where the services came from, and what was skipped for want of one.
  for (const [name, what] of Object.entries(report?.services ?? {})) lines.push(`  ${name}: ${what}`);
  const skipped = new Map();
  for (const k of report?.skipped ?? []) skipped.set(k.step, [...(skipped.get(k.step) ?? []), k.id]);
  for (const [step, ids] of skipped) lines.push(`  SKIPPED ${step} in ${ids.length} combination(s): ${ids.join(', ')}`);
};

const build = await run('build', 'npm', ['run', 'build']);
if (!build.ok) {
  lines.push(`build failed (exit ${build.code}): nothing else ran`);
  failed++;
} else {
  const vitestJson = join(reports, 'vitest.json');
  const userArgs = process.argv.slice(2);
  const vitest = await run('vitest', join(root, 'node_modules', '.bin', 'vitest'), [
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${vitestJson}`,
    ...userArgs,
  ]);
  count('generator tests', vitest, vitestJson, (j) => ({ passed: j.numPassedTests, failed: j.numFailedTests }));

  const tiers = (process.env.MATRIX_TIERS ?? '0,changes,1').split(',').filter((t) => t.trim() !== '');
  for (const tier of userArgs.length ? [] : tiers) {
    const file = join(reports, `tier${tier}.json`);
    const r = await run(`matrix tier ${tier}`, process.execPath, [
      'dist/matrix-cli.js',
      '--tier',
      tier,
      '--report',
      file,
    ]);
    count(`matrix tier ${tier}`, r, file, (j) => ({ passed: j.passed, failed: j.failed }));
    if (!existsSync(file)) lines.push(`matrix tier ${tier} wrote no report (exit ${r.code})`);
  }
}

if (stoppedBy) lines.push(`stopped by ${stoppedBy}: the steps after it did not run`);
process.stdout.write(`\n${lines.join('\n')}\n${passed} passed, ${failed} failed\n`);
process.exitCode = failed > 0 ? 1 : 0;
