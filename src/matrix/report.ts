/** What every tier reports, for people and (with --json) for machines. */

export interface Failure {
  /** Combination id (`c0042`, `pairs-03`, `default`) or rule name. */
  id: string;
  /** The step or check that failed. */
  step: string;
  combination?: string;
  message: string;
  /** Commands that reproduce it, each with the folder to run it in. */
  reproduce: { cwd: string; command: string }[];
  /** Generated project kept for inspection. */
  kept?: string;
  /** Tail of the failing command's output. */
  output?: string;
}

/** A step that did not run for want of a service (counted and shown, never a silent pass). */
export interface Skip {
  id: string;
  step: string;
  reason: string;
}

export interface StepStats {
  runs: number;
  failed: number;
  totalMs: number;
  medianMs: number;
}

export interface TierReport {
  /** `changes`: omnistack add/remove/undo over the tier-1 rows (src/matrix/changes.ts). */
  tier: 0 | 1 | 2 | 'changes';
  /** Combinations exercised (valid + invalid for tier 0). */
  combinations: number;
  /** Units counted for the closing `N passed, N failed` line. */
  passed: number;
  failed: number;
  failures: Failure[];
  steps: Record<string, StepStats>;
  /** Median wall time of one combination (tier 1/2: with the shared install). */
  medianComboMs: number;
  totalMs: number;
  pairs?: { covered: number; total: number; excludedInvalid: number };
  /** Tiers 1/2: where each needed service came from (a real server, or what stood in for it). */
  services?: { postgres?: string; redis?: string };
  /** Tiers 1/2: steps skipped for want of a service. */
  skipped?: Skip[];
  /** Tiers 1/2: results per Node version the checks ran on. */
  nodes?: Record<string, { passed: string[]; failed: string[] }>;
  notes: string[];
  /** Per-combination results (tier 1/2) or counts (tier 0). */
  details: unknown;
}

export const median = (xs: readonly number[]): number => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

export const stepStats = (samples: { step: string; ms: number; ok: boolean }[]): Record<string, StepStats> => {
  const out: Record<string, StepStats> = {};
  const by = new Map<string, { ms: number; ok: boolean }[]>();
  for (const s of samples) by.set(s.step, [...(by.get(s.step) ?? []), s]);
  for (const [step, xs] of by)
    out[step] = {
      runs: xs.length,
      failed: xs.filter((x) => !x.ok).length,
      totalMs: Math.round(xs.reduce((n, x) => n + x.ms, 0)),
      medianMs: Math.round(10 * median(xs.map((x) => x.ms))) / 10,
    };
  return out;
};

const secs = (ms: number) =>
  ms >= 10_000
    ? `${(ms / 1000).toFixed(0)}s`
    : ms >= 1000
      ? `${(ms / 1000).toFixed(1)}s`
      : `${ms.toFixed(ms < 10 ? 1 : 0)}ms`;

/** Quotes a word for a POSIX shell when it needs it. */
export const sh = (word: string): string => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`);

export const formatFailure = (f: Failure): string => {
  const lines = [`FAIL ${f.id} [${f.step}]${f.combination ? ` ${f.combination}` : ''}`, `  ${f.message}`];
  if (f.reproduce.length) {
    lines.push('  reproduce:');
    for (const r of f.reproduce) lines.push(`    (cd ${sh(r.cwd)} && ${r.command})`);
  }
  if (f.kept) lines.push(`  kept: ${f.kept}`);
  if (f.output) lines.push('  output (tail):', ...f.output.split('\n').map((l) => `    | ${l}`));
  return lines.join('\n');
};

export const formatReport = (r: TierReport): string => {
  const lines = [`\n== matrix tier ${r.tier}: ${r.combinations} combinations in ${secs(r.totalMs)} ==`];
  if (r.pairs) {
    const pct = r.pairs.total ? ((100 * r.pairs.covered) / r.pairs.total).toFixed(1) : '100.0';
    lines.push(
      `pairs covered: ${r.pairs.covered}/${r.pairs.total} valid pairs (${pct}%); ${r.pairs.excludedInvalid} pairs excluded by rules`,
    );
  }
  for (const [name, what] of Object.entries(r.services ?? {})) lines.push(`services: ${name}: ${what}`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  lines.push('steps (runs, failed, total, median):');
  for (const [step, s] of Object.entries(r.steps))
    lines.push(
      `  ${step.padEnd(10)} ${String(s.runs).padStart(5)} ${String(s.failed).padStart(4)} ${secs(s.totalMs).padStart(7)} ${secs(s.medianMs).padStart(6)}`,
    );
  if (r.medianComboMs) lines.push(`median per combination: ${secs(r.medianComboMs)}`);
  for (const [version, n] of Object.entries(r.nodes ?? {}))
    lines.push(
      `node ${version}: ${n.passed.length} passed, ${n.failed.length} failed (${[...n.passed, ...n.failed].join(', ')})`,
    );
  const byStep = new Map<string, number>();
  for (const f of r.failures) byStep.set(f.step, (byStep.get(f.step) ?? 0) + 1);
  if (byStep.size)
    lines.push(
      `failures by step: ${[...byStep]
        .sort((a, b) => b[1] - a[1])
        .map(([s, n]) => `${s} ${n}`)
        .join(', ')}`,
    );
  const skipped = new Map<string, Skip[]>();
  for (const k of r.skipped ?? []) skipped.set(k.step, [...(skipped.get(k.step) ?? []), k]);
  for (const [step, ks] of skipped)
    lines.push(
      `SKIPPED ${step} in ${ks.length} combination${ks.length === 1 ? '' : 's'} (${ks.map((k) => k.id).join(', ')}): ${[...new Set(ks.map((k) => k.reason.replace(/^\d+ tests skipped: /, '')))].join('; ')}`,
    );
  lines.push(`${r.passed} passed, ${r.failed} failed`);
  return lines.join('\n');
};
