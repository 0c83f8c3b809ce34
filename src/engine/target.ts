import { basename, isAbsolute, normalize, resolve, sep } from 'node:path';
import validate from 'validate-npm-package-name';
import { UsageError } from './errors.js';

/**
 * Turns the `[dir]` argument into a project name and an absolute target inside `cwd`.
 * The folder's last segment is the package name, so it must pass npm's rules for new packages;
 * `.` means the current folder, named after itself.
 */
export const resolveTarget = (dir: string, cwd: string): { name: string; root: string } => {
  if (isAbsolute(dir))
    throw new UsageError(`"${dir}" is an absolute path.`, 'give a folder name relative to the current directory');
  const clean = normalize(dir);
  if (clean === '..' || clean.startsWith(`..${sep}`) || clean.split(sep).includes('..')) {
    throw new UsageError(`"${dir}" leaves the current directory.`, 'give a folder name inside the current directory');
  }
  const name = basename(clean === '.' ? cwd : clean);
  const check = validate(name);
  if (!check.validForNewPackages) {
    const problems = [...(check.errors ?? []), ...(check.warnings ?? [])];
    throw new UsageError(
      `"${name}" is not a valid package name: ${problems.join('; ')}.`,
      'use lowercase letters, digits, "-", "_" or ".", e.g. my-api',
    );
  }
  return { name, root: resolve(cwd, clean) };
};
