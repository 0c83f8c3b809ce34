import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE } from '../src/catalog.js';
import { nodeRuntime } from '../src/matrix/node-runtime.js';

/**
 * The CLI tests run bin/*.js, which load dist/: build it once so they never see stale code. Tests
 * that install run the CLI on a Node generated projects support (SUPPORTED_NODE): fetch it first.
 */
export default async function setup(): Promise<void> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  await nodeRuntime(NODE.primary, join(root, '.cache', 'node'), (l) => process.stdout.write(`${l}\n`));
}
