import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheUnavailable } from '../../test/cache.js';
import { createTestJobs, nextSettled } from '../../test/jobs.js';
import { type Email, EmailError, type EmailMessage } from '../lib/email/email.js';
import { queuedEmail, sendEmailJob } from './send-email.js';

const message: EmailMessage = {
  to: 'ada@example.com',
  subject: 'Welcome',
  text: 'Hello Ada',
  html: '<p>Hello Ada</p>',
};

/** A provider that records what it is asked to send, or fails with `failWith`. */
const recordingTransport = (failWith?: Error) => {
  const sent: EmailMessage[] = [];
  const transport: Email = {
    async send(m) {
      if (failWith) throw failWith;
      sent.push(m);
      return { id: `sent-${sent.length}` };
    },
  };
  return { transport, sent };
};

describe.skipIf(cacheUnavailable)('email through a job', () => {
  let t: Awaited<ReturnType<typeof createTestJobs>>;
  beforeEach(async () => {
    t = await createTestJobs();
  });
  afterEach(() => t.close());

  it('queues the message instead of sending it, and the worker delivers it', async () => {
    const { transport, sent } = recordingTransport();
    const email = queuedEmail(t.jobs);

    const queued = await email.send(message);

    expect(queued.id).toMatch(/^job:/);
    expect(sent).toEqual([]);
    expect(await t.jobs.counts()).toMatchObject({ waiting: 1 });

    const { worker } = t.startWorker({ 'send-email': sendEmailJob(transport) });
    const settled = await nextSettled(worker);
    expect(settled).toMatchObject({ status: 'completed', job: { returnvalue: { id: 'sent-1' } } });
    expect(sent).toEqual([message]);
  });

  it('refuses a message without recipients at once', async () => {
    await expect(queuedEmail(t.jobs).send({ ...message, to: [] })).rejects.toThrow(/no recipient/);
    expect(await t.jobs.counts()).toMatchObject({ waiting: 0 });
  });

  it('retries a provider error worth retrying', async () => {
    const outage = new EmailError('resend: Internal server error', {
      provider: 'resend',
      status: 500,
      retryable: true,
    });
    const { worker } = t.startWorker({ 'send-email': sendEmailJob(recordingTransport(outage).transport) });
    const settled = nextSettled(worker);

    await t.jobs.enqueue('send-email', message, { attempts: 2, backoff: { type: 'fixed', delay: 10 } });

    const { status, job } = await settled;
    expect(status).toBe('failed');
    expect(job.attemptsMade).toBe(2);
  });

  it('fails at once, kept with its reason, when the provider refuses for good', async () => {
    const refusal = new EmailError('sendgrid: The from address does not match a verified Sender Identity', {
      provider: 'sendgrid',
      status: 403,
      retryable: false,
    });
    const { worker } = t.startWorker({ 'send-email': sendEmailJob(recordingTransport(refusal).transport) });
    const settled = nextSettled(worker);

    await t.jobs.enqueue('send-email', message);

    const { status, job } = await settled;
    expect(status).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(await t.jobs.failed(10)).toMatchObject([{ name: 'send-email', reason: refusal.message }]);
  });
});
