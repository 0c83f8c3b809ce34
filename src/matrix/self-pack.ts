/**
 * This repository packed as npm would publish it. Generated projects depend on create-omnistack (their
 * `omnistack` command); until this version is on the registry, the runs that install a project for real
 * (the matrix's fresh install, `npm run demo`) point that dependency at this tarball through
 * CREATE_OMNISTACK_SPEC. Expects `dist/` to be built.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { exec, tail } from './exec.js';

export const packSelf = async (repoRoot: string, outDir: string): Promise<string> => {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  // --ignore-scripts: prepack would build again.
  const r = await exec('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', outDir], {
    cwd: repoRoot,
    env: { ...process.env, npm_config_update_notifier: 'false' },
    timeoutMs: 120_000,
  });
  const tgz = readdirSync(outDir).find((f) => f.endsWith('.tgz'));
  if (r.code !== 0 || !tgz) throw new Error(`npm pack failed (exit ${r.code})\n${tail(r.output)}`);
  return join(outDir, tgz);
};
