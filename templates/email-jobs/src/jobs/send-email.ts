import { UnrecoverableError } from 'bullmq';
import { type Email, EmailError, type EmailMessage, recipients } from '../lib/email/email.js';
import type { Jobs } from './queue.js';

/**
 * The `email` the app sees while jobs are on: send() only queues the message, so a request never
 * waits on the provider and a provider outage becomes retries instead of errors.
 */
export const queuedEmail = (jobs: Jobs): Email => ({
  async send(message) {
    // Refuse now what the worker could never send.
    recipients(message);
    return { id: `job:${await jobs.enqueue('send-email', message)}` };
  },
});

/** The worker's side: delivers through the provider. A refusal no retry can fix fails the job at once. */
export const sendEmailJob = (transport: Email) => async (message: EmailMessage) => {
  try {
    return await transport.send(message);
  } catch (err) {
    if (err instanceof EmailError && !err.retryable) throw new UnrecoverableError(err.message);
    throw err;
  }
};
