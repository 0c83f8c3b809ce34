export const PACKAGE_MANAGERS = ['npm', 'pnpm', 'yarn', 'bun'] as const;
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

/** The package manager that launched us (`npm create`, `pnpm create`, ...), npm otherwise. */
export const detectPackageManager = (userAgent = process.env.npm_config_user_agent ?? ''): PackageManager =>
  PACKAGE_MANAGERS.find((pm) => userAgent.startsWith(`${pm}/`)) ?? 'npm';
