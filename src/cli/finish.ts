import { execa } from 'execa';
import satisfies from 'semver/functions/satisfies.js';
import { NODE } from '../catalog.js';
import { RunError } from '../engine/errors.js';
import type { PackageManager } from './package-manager.js';

interface FinishOptions {
  root: string;
  pm: PackageManager;
  install: boolean;
  git: boolean;
  /** No spinner or progress (for --json or no terminal). */
  quiet: boolean;
  /** What to say when this version of create-omnistack, a dependency of the project, is not on the registry. */
  unpublished: string;
}

const HEARTBEAT_MS = Number(process.env.OMNISTACK_HEARTBEAT_MS) || 15_000;

/**
 * Runs `fn` with a one-line progress display when a person is watching, plainly otherwise.
 * Deliberately not a prompt library spinner: those put the terminal in raw mode, where Ctrl-C
 * is a key press rather than SIGINT, so the child (npm) would keep running after we exit.
 * Here Ctrl-C reaches the whole process group and both stop.
 */
const step = async <T>(
  quiet: boolean,
  label: string,
  fn: (progress: (line: string) => void) => Promise<T>,
): Promise<T> => {
  const out = process.stdout;
  if (quiet || !out.isTTY) {
    // No terminal (CI logs) or --json: a plain line now and then, so a long install is not taken for a hang.
    const log = quiet ? process.stderr : out;
    const started = Date.now();
    if (!quiet) log.write(`${label}...\n`);
    const timer = setInterval(
      () => log.write(`${label}: still running after ${Math.round((Date.now() - started) / 1000)} s\n`),
      HEARTBEAT_MS,
    );
    try {
      return await fn(() => {});
    } finally {
      clearInterval(timer);
    }
  }
  const frames = ['◒', '◐', '◓', '◑'];
  let frame = 0;
  let detail = '';
  const draw = (mark: string, text: string) => {
    const line = `${mark} ${text}`.slice(0, Math.max(20, (out.columns || 80) - 1));
    out.write(`\r\x1b[2K${line}`);
  };
  const timer = setInterval(() => {
    frame = (frame + 1) % frames.length;
    draw(frames[frame] as string, detail ? `${label}: ${detail}` : label);
  }, 100);
  draw(frames[0] as string, label);
  try {
    const result = await fn((line) => {
      detail = line.slice(0, 60);
    });
    draw('✔', `${label}: done\n`);
    return result;
  } catch (err) {
    draw('✖', `${label}: failed\n`);
    throw err;
  } finally {
    clearInterval(timer);
  }
};

const install = (root: string, pm: PackageManager, quiet: boolean, unpublished: string) =>
  step(quiet, `Installing dependencies with ${pm}`, async (progress) => {
    const finishWith = `cd ${root} && ${pm} install`;
    const child = execa(pm, ['install'], { cwd: root, all: true, reject: false });
    // Ctrl-C: the project is complete on disk, only its dependencies are missing; say how to finish.
    const interrupted = () => {
      child.kill('SIGINT');
      process.stderr.write(`\nInstall interrupted. The project is written in ${root}; finish with:\n  ${finishWith}\n`);
      process.exit(130);
    };
    process.once('SIGINT', interrupted);
    child.all?.on('data', (chunk: Buffer) => {
      const last = chunk.toString().trim().split('\n').pop();
      if (last) progress(last);
    });
    const result = await child.finally(() => process.off('SIGINT', interrupted));
    if (result.exitCode !== 0) {
      const why =
        result.code === 'ENOENT' ? `${pm} was not found on PATH` : `${pm} install failed (exit ${result.exitCode})`;
      const output = result.all ?? '';
      // A build of this tool from a checkout is not on the registry, and the project depends on it.
      const hint = /\b404\b[^\n]*create-omnistack@/.test(output) ? `\n${unpublished}` : '';
      throw new RunError(
        `${why}. The project is written in ${root}; fix the error below, then finish with:\n  ${finishWith}${hint}\n${output.slice(-2000)}`,
      );
    }
  });

const initGit = async (root: string): Promise<{ git: boolean; note?: string }> => {
  const git = (...args: string[]) => execa('git', args, { cwd: root });
  // Inside an existing repository (a monorepo, or --force into a checkout) the user's repo stays theirs.
  const inside = await execa('git', ['rev-parse', '--is-inside-work-tree'], { cwd: root, reject: false });
  if (inside.exitCode === 0 && inside.stdout.trim() === 'true') {
    return { git: false, note: 'skipped git init: the folder is already inside a git repository' };
  }
  try {
    await git('init', '-q', '-b', 'main');
    await git('add', '-A');
    // Commit as the user when git knows them; a fresh machine may have no identity yet.
    const known = await execa('git', ['config', 'user.email'], { cwd: root, reject: false });
    const identity = known.stdout
      ? []
      : ['-c', 'user.name=create-omnistack', '-c', 'user.email=create-omnistack@localhost'];
    await git(...identity, 'commit', '-q', '--no-verify', '-m', 'Initial commit from create-omnistack');
    return { git: true };
  } catch (err) {
    throw new RunError(`git init failed: ${(err as Error).message}`, 'pass --no-git to skip it');
  }
};

/**
 * Why this Node cannot install the project, when it cannot: the CLI runs on Node 20.12+, the
 * projects it writes need a supported line, and npm would fail halfway through a native module.
 */
export const nodeTooOld = (running = process.versions.node): string | undefined =>
  satisfies(running, NODE.engines)
    ? undefined
    : `Node.js ${running} is running create-omnistack, but the project needs Node.js ${NODE.engines} (package.json engines), so its dependencies were not installed. Install Node ${NODE.primary} (\`nvm install\` or \`fnm install\` in the project reads .nvmrc), then install them.`;

export interface Finished {
  installed: boolean;
  git: boolean;
  /** Why a step was skipped, for the user. */
  notes: string[];
  /** The install was skipped because this Node is older than the project needs. */
  nodeTooOld: boolean;
}

/** Install and git init, after the files are written. */
export const finish = async (o: FinishOptions): Promise<Finished> => {
  const notes: string[] = [];
  const tooOld = o.install ? nodeTooOld() : undefined;
  if (tooOld) notes.push(tooOld);
  else if (o.install) await install(o.root, o.pm, o.quiet, o.unpublished);
  const git = o.git ? await initGit(o.root) : { git: false };
  if (git.note) notes.push(git.note);
  return { installed: o.install && !tooOld, git: git.git, notes, nodeTooOld: Boolean(tooOld) };
};
