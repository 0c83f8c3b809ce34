import { skipReason } from './helpers.js';

/** Says once, loudly, why tests are being skipped, instead of letting them pass silently. */
export default function setup() {
  if (skipReason) console.warn(`\n  ⚠  ${skipReason}\n`);
}
