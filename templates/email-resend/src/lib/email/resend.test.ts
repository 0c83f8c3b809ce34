import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailApiContract } from '../../../test/email-api-contract.js';
import { startFakeResend } from '../../../test/fake-resend.js';
import { message } from '../../../test/message.js';
import { createResendEmail } from './resend.js';

describe('resend email', () => {
  let resend: Awaited<ReturnType<typeof startFakeResend>>;
  beforeAll(async () => {
    resend = await startFakeResend();
  });
  afterAll(() => resend.close());

  const create = (apiKey: string | undefined, baseUrl = resend.url) =>
    createResendEmail({ apiKey, from: 'Acme <noreply@example.com>', baseUrl });

  it('posts the message with the API key and returns Resend’s id', async () => {
    const sent = await create(resend.apiKey).send(message);

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

  emailApiContract('resend', () => ({ fake: resend, create }));
});
