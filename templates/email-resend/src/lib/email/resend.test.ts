import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeResend } from '../../../test/fake-resend.js';
import { EmailError } from './email.js';
import { createResendEmail } from './resend.js';

const message = {
  to: ['ada@example.com', 'Grace <grace@example.com>'],
  subject: 'Reset your password',
  text: 'Open https://app.example.com/reset?token=abc',
  html: '<a href="https://app.example.com/reset?token=abc">Reset</a>',
  replyTo: 'support@example.com',
};

describe('resend email', () => {
  let resend: Awaited<ReturnType<typeof startFakeResend>>;
  beforeAll(async () => {
    resend = await startFakeResend();
  });
  afterAll(() => resend.close());

  const create = (apiKey: string | undefined = resend.apiKey) =>
    createResendEmail({ apiKey, from: 'Acme <noreply@example.com>', baseUrl: resend.url });

  it('posts the message with the API key and returns Resend’s id', async () => {
    const sent = await create().send(message);

    expect(sent.id).toMatch(/^fake-resend-\d+$/);
    expect(resend.requests.at(-1)).toEqual({
      method: 'POST',
      path: '/emails',
      authorization: `Bearer ${resend.apiKey}`,
      body: {
        from: 'Acme <noreply@example.com>',
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        reply_to: message.replyTo,
      },
    });
  });

  it('turns a refused key into a typed error that is not worth retrying', async () => {
    const error = await create('re_wrong')
      .send(message)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmailError);
    expect(error).toMatchObject({ provider: 'resend', status: 401, retryable: false });
    expect((error as Error).message).toContain('API key is invalid');
  });

  it('marks rate limits and outages as retryable', async () => {
    resend.failNext(429, 'rate_limit_exceeded', 'Too many requests');
    await expect(create().send(message)).rejects.toMatchObject({ status: 429, retryable: true });
    resend.failNext(500, 'application_error', 'Internal server error');
    await expect(create().send(message)).rejects.toMatchObject({ status: 500, retryable: true });
  });

  it('reports an unreachable API as a retryable error', async () => {
    const email = createResendEmail({ apiKey: 're_x', from: 'noreply@example.com', baseUrl: 'http://127.0.0.1:1' });
    await expect(email.send(message)).rejects.toMatchObject({
      name: 'EmailError',
      provider: 'resend',
      retryable: true,
    });
  });

  it('fails each send, without calling Resend, while no API key is set', async () => {
    const before = resend.requests.length;
    await expect(
      createResendEmail({ apiKey: undefined, from: 'noreply@example.com', baseUrl: resend.url }).send(message),
    ).rejects.toMatchObject({ provider: 'resend', retryable: false });
    expect(resend.requests).toHaveLength(before);
  });
});
