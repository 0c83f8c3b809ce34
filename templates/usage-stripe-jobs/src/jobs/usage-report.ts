import type { AppDeps } from '../deps.js';
import { reportUsageToStripe } from '../lib/usage/stripe-report.js';

/** Every 15 minutes: billed usage of the hours that have closed goes to Stripe as meter events. */
export const usageReportJob = (deps: AppDeps) => () => reportUsageToStripe(deps);
