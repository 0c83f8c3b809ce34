// Start-up benchmark: `node -e 0` against creating the default project, run alternately so both
// see the same machine load. Prints medians, the ratio and peak RSS side by side.
//
//   npm run build && node bench/create.mjs [--runs 20] [--json]
//
// Targets: create <= 0.15 s wall median, <= 3x `node -e 0`, <= 60 MB peak RSS.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, json: { type: 'boolean' } } });
const runs = Number(values.runs);
const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'create-omnistack.js');
const work = mkdtempSync(join(tmpdir(), 'omnistack-bench-'));
// GNU time reports the peak RSS of the child; without it we report wall time only.
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const rssFile = join(work, 'rss');

/** Runs one command; returns wall seconds and peak RSS in MB (or NaN). Throws if it fails. */
const measure = (args) => {
  const [cmd, argv] = gnuTime
    ? [gnuTime, ['-f', '%M', '-o', rssFile, process.execPath, ...args]]
    : [process.execPath, args];
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const rss = gnuTime ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024 : Number.NaN;
  return { wall, rss };
};

const cases = {
  'node -e 0': () => ['-e', '0'],
  'create --yes --no-install --no-git': (i) => [bin, `app-${i}`, '--yes', '--no-install', '--no-git'],
};
const results = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
try {
  for (const make of Object.values(cases)) measure(make('warmup')); // fill the OS file cache
  for (let i = 0; i < runs; i++) {
    for (const [name, make] of Object.entries(cases)) {
      results[name].push(measure(make(i)));
      rmSync(join(work, `app-${i}`), { recursive: true, force: true });
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const summary = Object.fromEntries(
  Object.entries(results).map(([name, rs]) => {
    const walls = rs.map((r) => r.wall);
    return [
      name,
      {
        median: quantile(walls, 0.5),
        min: Math.min(...walls),
        p90: quantile(walls, 0.9),
        peakRssMb: Math.max(...rs.map((r) => r.rss)),
      },
    ];
  }),
);
const [base, create] = Object.values(summary);
const ratio = create.median / base.median;

if (values.json) {
  process.stdout.write(`${JSON.stringify({ runs, node: process.version, summary, ratio })}\n`);
} else {
  const s = (x) => `${x.toFixed(3)} s`;
  const mb = (x) => (Number.isNaN(x) ? 'n/a' : `${x.toFixed(1)} MB`);
  console.log(`${runs} alternating runs, node ${process.version}\n`);
  console.log(
    `${''.padEnd(36)}${'median'.padStart(10)}${'min'.padStart(10)}${'p90'.padStart(10)}${'peak RSS'.padStart(12)}`,
  );
  for (const [name, r] of Object.entries(summary)) {
    console.log(
      `${name.padEnd(36)}${s(r.median).padStart(10)}${s(r.min).padStart(10)}${s(r.p90).padStart(10)}${mb(r.peakRssMb).padStart(12)}`,
    );
  }
  const ok = (b) => (b ? 'ok' : 'MISSED');
  console.log(
    `\nratio create / node -e 0: ${ratio.toFixed(2)}x   targets: median <= 0.15 s (${ok(create.median <= 0.15)}), ` +
      `<= 3x (${ok(ratio <= 3)}), <= 60 MB (${ok(Number.isNaN(create.peakRssMb) || create.peakRssMb <= 60)})`,
  );
}
