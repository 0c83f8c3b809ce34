import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

import { PACKAGE_MANAGERS, type PackageManager } from '../choices.js';

export { PACKAGE_MANAGERS, type PackageManager };

/** The package manager that launched us (`npm create`, `pnpm create`, ...), npm otherwise. */
export const detectPackageManager = (userAgent = process.env.npm_config_user_agent ?? ''): PackageManager =>
  PACKAGE_MANAGERS.find((pm) => userAgent.startsWith(`${pm}/`)) ?? 'npm';

/** Whether `pm` is on PATH (an executable file), without running it. */
export const isInstalled = (pm: PackageManager, path = process.env.PATH ?? ''): boolean => {
  const names = process.platform === 'win32' ? [`${pm}.cmd`, `${pm}.exe`] : [pm];
  return path
    .split(delimiter)
    .filter(Boolean)
    .some((dir) =>
      names.some((name) => {
        try {
          accessSync(join(dir, name), constants.X_OK);
          return true;
        } catch {
          return false;
        }
      }),
    );
};
