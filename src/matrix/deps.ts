/**
 * One shared install of the whole version catalog, reused by every generated project of tiers 1
 * and 2 through a `node_modules` symlink, whatever Node line the project runs on: no catalog
 * package compiles against one Node's ABI (better-sqlite3 13 ships N-API prebuilds). It lives in
 * `.cache/deps/<key>/` where the key hashes the catalog and the platform, so it is rebuilt exactly
 * when either changes.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { allowScriptsFor, CATALOG, type CatalogEntry } from '../catalog.js';
import { exec, tail } from './exec.js';

export const catalogManifest = () => {
  const entries = Object.entries(CATALOG as Record<string, CatalogEntry>);
  const withScripts = entries.filter(([, e]) => e.installScript).map(([n]) => n);
  return {
    name: 'omnistack-matrix-deps',
    private: true,
    type: 'module',
    dependencies: Object.fromEntries(entries.map(([n, e]) => [n, e.version])),
    allowScripts: allowScriptsFor(withScripts),
  };
};

/** Catalog + the platform whose binaries (esbuild, biome, better-sqlite3's prebuild) it holds. */
export const depsKey = (): string =>
  createHash('sha256')
    .update(JSON.stringify(catalogManifest()))
    .update(`\0${process.platform}-${process.arch}`)
    .digest('hex')
    .slice(0, 16);

export interface SharedDeps {
  dir: string;
  nodeModules: string;
  ms: number;
  reused: boolean;
}

/** Whether a process with this pid still exists. */
export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A lock directory, so two matrix runs on one machine never install into the same folder. */
export const lock = async (path: string, log: (l: string) => void): Promise<() => void> => {
  let said = false;
  for (;;) {
    try {
      mkdirSync(path);
      writeFileSync(join(path, 'pid'), String(process.pid));
      return () => rmSync(path, { recursive: true, force: true });
    } catch {
      const pid = Number(existsSync(join(path, 'pid')) ? readFileSync(join(path, 'pid'), 'utf8') : 0);
      if (pid && !alive(pid)) {
        rmSync(path, { recursive: true, force: true });
        continue;
      }
      if (!said) log(`waiting for another matrix run to finish the shared install (${path})`);
      said = true;
      await sleep(1000);
    }
  }
};

/** `env`: the Node runtime npm installs with (its PATH), so engine checks see a supported line. */
export const sharedDeps = async (
  cacheRoot: string,
  log: (l: string) => void = () => {},
  env: Record<string, string> = {},
): Promise<SharedDeps> => {
  const t0 = performance.now();
  const key = depsKey();
  const dir = join(cacheRoot, key);
  const nodeModules = join(dir, 'node_modules');
  const done = () => existsSync(join(dir, '.complete'));
  if (done()) return { dir, nodeModules, ms: performance.now() - t0, reused: true };
  mkdirSync(cacheRoot, { recursive: true });
  const unlock = await lock(`${dir}.lock`, log);
  try {
    if (done()) return { dir, nodeModules, ms: performance.now() - t0, reused: true };
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    writeFileSync(join(tmp, 'package.json'), `${JSON.stringify(catalogManifest(), null, 2)}\n`);
    log(`installing the version catalog once into ${dir}`);
    const r = await exec('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: tmp,
      env: { ...process.env, ...env, npm_config_update_notifier: 'false' },
      timeoutMs: 30 * 60_000,
    });
    if (r.code !== 0) {
      throw new Error(
        `shared install failed (exit ${r.code}${r.timedOut ? ', timed out' : ''}); reproduce: (cd ${tmp} && npm install)\n${tail(r.output)}`,
      );
    }
    writeFileSync(join(tmp, '.complete'), `${new Date().toISOString()}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    return { dir, nodeModules, ms: performance.now() - t0, reused: false };
  } finally {
    unlock();
  }
};
