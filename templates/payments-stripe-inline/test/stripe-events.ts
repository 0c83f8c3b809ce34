import type { TestApp } from './helpers.js';

/** Deliveries are applied before they are answered: nothing is left to wait for. */
export const settleStripeEvents = async (_t: TestApp) => {};

/** What a delivery that took effect answers. */
export const APPLIED = 'applied';
