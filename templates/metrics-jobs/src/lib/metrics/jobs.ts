import { Counter, Histogram, type Registry } from 'prom-client';
import type { SettledJob } from '../../jobs/worker.js';
import type { Metrics } from './metrics.js';

const created = new WeakMap<Registry, { attempts: Counter; duration: Histogram }>();

/** The job series of a registry, made on the first job it sees. */
const jobSeries = (registry: Registry) => {
  let series = created.get(registry);
  if (!series) {
    const labelNames = ['job', 'state'];
    series = {
      attempts: new Counter({
        name: 'job_attempts_total',
        help: 'Job attempts the worker settled, by job name and state (completed, failed)',
        labelNames,
        registers: [registry],
      }),
      duration: new Histogram({
        name: 'job_duration_seconds',
        help: 'How long job attempts ran, by job name and state',
        labelNames,
        buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900],
        registers: [registry],
      }),
    };
    created.set(registry, series);
  }
  return series;
};

/** Counts and times one settled job attempt in the metrics of the process that ran it. */
export const observeJob = ({ registry }: Metrics, job: SettledJob) => {
  const { attempts, duration } = jobSeries(registry);
  const labels = { job: job.name, state: job.state };
  attempts.inc(labels);
  duration.observe(labels, job.seconds);
};
