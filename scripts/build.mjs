// Bundles each CLI entry into one file so start-up resolves few modules; dependencies stay external.
import { build } from 'esbuild';

await build({
  entryPoints: {
    create: 'src/cli/create.ts',
    omnistack: 'src/cli/omnistack.ts',
    'matrix-cli': 'src/matrix/cli.ts',
  },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
