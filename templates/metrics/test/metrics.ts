import type { Metrics } from '../src/lib/metrics/metrics.js';

/** The value of the first sample of `name` carrying all of `labels`, or undefined when none does. */
export const sampleValue = async ({ registry }: Metrics, name: string, labels: Record<string, string>) => {
  const metric = await registry.getSingleMetric(name)?.get();
  return metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
};
