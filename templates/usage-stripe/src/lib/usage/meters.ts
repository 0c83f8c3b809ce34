/**
 * The metrics billed through Stripe, each with the `event_name` of its Stripe meter. Create each meter
 * in Stripe (Billing > Meters) with this event name, the Sum aggregation and the default payload keys
 * (`stripe_customer_id`, `value`), then put a price on it. Metrics not listed are metered, never billed.
 */
export const STRIPE_METERS: Readonly<Record<string, string>> = {
  'api.requests': 'api_requests',
};
