#!/usr/bin/env node
import module from 'node:module';

// Node >= 22.1 keeps compiled code between runs; older versions skip this.
module.enableCompileCache?.();
const { run } = module.createRequire(import.meta.url)('../dist/create.cjs');
process.exitCode = await run(process.argv.slice(2));
