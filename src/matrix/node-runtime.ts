/**
 * A Node.js line to run generated projects on, whatever `node` this machine has. Uses the running
 * Node when it is on the line; otherwise the official build the catalog pins, fetched once from the
 * npm registry (`node-<platform>-<arch>@<version>`: `bin/node` and the `include/node` headers) into
 * `.cache/node/<version>/`. Nothing comes from anywhere but the registry npm is configured for.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import satisfies from 'semver/functions/satisfies.js';
import { NODE, type NodeLine } from '../catalog.js';
import { lock } from './deps.js';
import { exec, tail } from './exec.js';

export interface NodeRuntime {
  line: NodeLine;
  /** The exact version that runs, e.g. `24.22.3`. */
  version: string;
  /** The `node` binary. */
  node: string;
  /** What to put in front of a command's environment: PATH with this node first, and its headers for native builds. */
  env: Record<string, string>;
  /** The same, as a shell prefix for reproduce lines (empty for the running node). */
  prefix: string;
}

export const NODE_LINES = Object.keys(NODE.builds).map(Number) as NodeLine[];

/** The line of the generated Dockerfile and `.nvmrc`. */
export const PRIMARY_LINE: NodeLine = NODE.primary;

export const isNodeLine = (n: number): n is NodeLine => (NODE_LINES as number[]).includes(n);

const runtimeFor = (line: NodeLine, version: string, home: string | undefined): NodeRuntime => {
  if (!home) return { line, version, node: process.execPath, env: {}, prefix: '' };
  const bin = join(home, 'bin');
  return {
    line,
    version,
    node: join(bin, 'node'),
    env: { PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`, npm_config_nodedir: home },
    prefix: `PATH=${bin}:$PATH npm_config_nodedir=${home} `,
  };
};

/** The runtime for `line`, fetching the pinned build on first use (about 50 MB, a few seconds). */
export const nodeRuntime = async (
  line: NodeLine,
  cacheRoot: string,
  log: (l: string) => void = () => {},
): Promise<NodeRuntime> => {
  const running = process.versions.node;
  if (Number(running.split('.')[0]) === line && satisfies(running, NODE.engines))
    return runtimeFor(line, running, undefined);
  const version = NODE.builds[line];
  const home = join(cacheRoot, version);
  if (existsSync(join(home, '.complete'))) return runtimeFor(line, version, home);
  mkdirSync(cacheRoot, { recursive: true });
  const unlock = await lock(`${home}.lock`, log);
  try {
    if (existsSync(join(home, '.complete'))) return runtimeFor(line, version, home);
    const spec = `node-${process.platform}-${process.arch}@${version}`;
    log(`fetching Node.js ${version} from the npm registry (${spec})`);
    const tmp = `${home}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    const pack = await exec('npm', ['pack', spec, '--silent', '--pack-destination', tmp], {
      cwd: tmp,
      env: { ...process.env, npm_config_update_notifier: 'false' },
      timeoutMs: 10 * 60_000,
    });
    const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    if (pack.code !== 0 || !tgz) throw new Error(`npm pack ${spec} failed (exit ${pack.code})\n${tail(pack.output)}`);
    const untar = await exec('tar', ['xzf', tgz, '--strip-components=1'], {
      cwd: tmp,
      env: process.env,
      timeoutMs: 5 * 60_000,
    });
    if (untar.code !== 0) throw new Error(`unpacking ${tgz} failed (exit ${untar.code})\n${tail(untar.output)}`);
    rmSync(join(tmp, tgz));
    const check = await exec(join(tmp, 'bin', 'node'), ['--version'], { cwd: tmp, env: {}, timeoutMs: 30_000 });
    if (check.output.trim() !== `v${version}`)
      throw new Error(`${spec} does not run here: ${tail(check.output, 5) || `exit ${check.code}`}`);
    writeFileSync(join(tmp, '.complete'), `${new Date().toISOString()}\n`);
    rmSync(home, { recursive: true, force: true });
    renameSync(tmp, home);
    return runtimeFor(line, version, home);
  } finally {
    unlock();
  }
};
