import type { PartialAnswers } from '../src/choices.js';

/**
 * One breaking example per rule in src/choices.ts. test/rules.test.ts fails when a rule
 * has no example here, so a new rule cannot go untested.
 */
export const VIOLATIONS: Record<string, PartialAnswers> = {
  'bullmq-requires-redis': { jobs: 'bullmq', cache: 'memory' },
  'payments-requires-auth': { payments: 'stripe', auth: 'none' },
  'iap-requires-payments': { iap: ['apple'], payments: 'none' },
};

/** The same examples, made valid by following the rule's own hint. */
export const REPAIRED: Record<string, PartialAnswers> = {
  'bullmq-requires-redis': { jobs: 'bullmq', cache: 'redis' },
  'payments-requires-auth': { payments: 'stripe', auth: 'jwt' },
  'iap-requires-payments': { iap: ['apple'], payments: 'stripe', auth: 'jwt' },
};
