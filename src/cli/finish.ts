import { execa } from 'execa';
import { RunError } from '../engine/errors.js';
import type { PackageManager } from './package-manager.js';

interface FinishOptions {
  root: string;
  pm: PackageManager;
  install: boolean;
  git: boolean;
  /** No spinner or progress (for --json or no terminal). */
  quiet: boolean;
}

/** Runs `fn` under a spinner when a person is watching, plainly otherwise. */
const step = async <T>(
  quiet: boolean,
  label: string,
  fn: (progress: (line: string) => void) => Promise<T>,
): Promise<T> => {
  if (quiet || !process.stdout.isTTY) return fn(() => {});
  const { spinner } = await import('@clack/prompts');
  const s = spinner();
  s.start(label);
  try {
    const result = await fn((line) => s.message(`${label}: ${line.slice(0, 60)}`));
    s.stop(`${label}: done`);
    return result;
  } catch (err) {
    s.error(`${label}: failed`);
    throw err;
  }
};

const install = (root: string, pm: PackageManager, quiet: boolean) =>
  step(quiet, `Installing dependencies with ${pm}`, async (progress) => {
    const child = execa(pm, ['install'], { cwd: root, all: true, reject: false });
    child.all?.on('data', (chunk: Buffer) => {
      const last = chunk.toString().trim().split('\n').pop();
      if (last) progress(last);
    });
    const result = await child;
    if (result.exitCode !== 0) {
      throw new RunError(
        `${pm} install failed (exit ${result.exitCode}). The project was written; fix the error below and run \`${pm} install\` in it.\n${result.all?.slice(-2000) ?? ''}`,
      );
    }
  });

const initGit = async (root: string): Promise<boolean> => {
  const git = (...args: string[]) => execa('git', args, { cwd: root });
  try {
    await git('init', '-q', '-b', 'main');
    await git('add', '-A');
    // Commit as the user when git knows them; a fresh machine may have no identity yet.
    const known = await execa('git', ['config', 'user.email'], { cwd: root, reject: false });
    const identity = known.stdout
      ? []
      : ['-c', 'user.name=create-omnistack', '-c', 'user.email=create-omnistack@localhost'];
    await git(...identity, 'commit', '-q', '--no-verify', '-m', 'Initial commit from create-omnistack');
    return true;
  } catch (err) {
    throw new RunError(`git init failed: ${(err as Error).message}`, 'pass --no-git to skip it');
  }
};

/** Install and git init, after the files are written. */
export const finish = async (o: FinishOptions): Promise<{ installed: boolean; git: boolean }> => {
  if (o.install) await install(o.root, o.pm, o.quiet);
  const git = o.git ? await initGit(o.root) : false;
  return { installed: o.install, git };
};
