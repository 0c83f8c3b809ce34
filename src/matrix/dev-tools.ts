/** What `npm run demo` and bench/ share with the matrix (bundled as dist/dev-tools.js, not published). */
export { nodeRuntime, PRIMARY_LINE } from './node-runtime.js';
export { packSelf } from './self-pack.js';
