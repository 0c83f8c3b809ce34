import type { ModuleManifest } from './types.js';

/** The generated project's own CI: every project gets it, whatever else was picked. */
export const ci: ModuleManifest = {
  id: 'ci',
  description: 'GitHub Actions workflow: typecheck, lint, test and build on every supported Node line (22, 24, 26)',
  when: () => true,
};
