import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSendgrid } from '../../../test/fake-sendgrid.js';
import { EmailError } from './email.js';
import { createSendgridEmail } from './sendgrid.js';

const message = {
  to: ['ada@example.com', 'Grace <grace@example.com>'],
  subject: 'Reset your password',
  text: 'Open https://app.example.com/reset?token=abc',
  html: '<a href="https://app.example.com/reset?token=abc">Reset</a>',
  replyTo: 'support@example.com',
};

describe('sendgrid email', () => {
  let sendgrid: Awaited<ReturnType<typeof startFakeSendgrid>>;
  beforeAll(async () => {
    sendgrid = await startFakeSendgrid();
  });
  afterAll(() => sendgrid.close());

  const create = (apiKey: string | undefined = sendgrid.apiKey) =>
    createSendgridEmail({ apiKey, from: 'Acme <noreply@example.com>', baseUrl: sendgrid.url });

  it('posts the message with the API key and returns SendGrid’s message id', async () => {
    const sent = await create().send(message);

    expect(sent.id).toMatch(/^fake-sendgrid-\d+$/);
    const request = sendgrid.requests.at(-1);
    expect(request).toMatchObject({
      method: 'POST',
      path: '/v3/mail/send',
      authorization: `Bearer ${sendgrid.apiKey}`,
    });
    expect(request?.body).toMatchObject({
      from: { email: 'noreply@example.com', name: 'Acme' },
      subject: message.subject,
      reply_to: { email: 'support@example.com' },
      personalizations: [{ to: [{ email: 'ada@example.com' }, { email: 'grace@example.com', name: 'Grace' }] }],
      content: [
        { type: 'text/plain', value: message.text },
        { type: 'text/html', value: message.html },
      ],
    });
  });

  it('turns a refused key into a typed error that is not worth retrying', async () => {
    const error = await create('SG.wrong')
      .send(message)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmailError);
    expect(error).toMatchObject({ provider: 'sendgrid', status: 401, retryable: false });
    expect((error as Error).message).toContain('authorization grant is invalid');
  });

  it('marks rate limits and outages as retryable', async () => {
    sendgrid.failNext(429, 'too many requests');
    await expect(create().send(message)).rejects.toMatchObject({ status: 429, retryable: true });
    sendgrid.failNext(503, 'service unavailable');
    await expect(create().send(message)).rejects.toMatchObject({ status: 503, retryable: true });
  });

  it('reports an unreachable API as a retryable error', async () => {
    const email = createSendgridEmail({ apiKey: 'SG.x', from: 'noreply@example.com', baseUrl: 'http://127.0.0.1:1/' });
    await expect(email.send(message)).rejects.toMatchObject({
      name: 'EmailError',
      provider: 'sendgrid',
      retryable: true,
    });
  });

  it('fails each send, without calling SendGrid, while no API key is set', async () => {
    const before = sendgrid.requests.length;
    await expect(
      createSendgridEmail({ apiKey: undefined, from: 'noreply@example.com', baseUrl: sendgrid.url }).send(message),
    ).rejects.toMatchObject({ provider: 'sendgrid', retryable: false });
    expect(sendgrid.requests).toHaveLength(before);
  });
});
