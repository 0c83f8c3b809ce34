import { cacheUnavailable } from './cache.js';

/** Says once, loudly, why tests are being skipped, instead of letting them pass silently. */
export default function setup() {
  if (cacheUnavailable) console.warn(`\n  ⚠  ${cacheUnavailable}\n`);
}
