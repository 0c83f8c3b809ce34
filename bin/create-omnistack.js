#!/usr/bin/env node
import module from 'node:module';

// Node >= 22.1 keeps compiled code between runs; older versions skip this.
module.enableCompileCache?.();
// `create-omnistack --help | head`: a reader that stops early is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
const { run } = module.createRequire(import.meta.url)('../dist/create.cjs');
process.exitCode = await run(process.argv.slice(2));
