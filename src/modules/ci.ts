import type { ModuleManifest } from './types.js';

/** The generated project's own CI: every project gets it, whatever else was picked. */
export const ci: ModuleManifest = {
  id: 'ci',
  description: 'GitHub Actions workflow: typecheck, lint, test and build on Node 20 and the LTS',
  when: () => true,
};
