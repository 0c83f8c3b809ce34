import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailApiContract } from '../../../test/email-api-contract.js';
import { startFakeSendgrid } from '../../../test/fake-sendgrid.js';
import { message } from '../../../test/message.js';
import { createSendgridEmail } from './sendgrid.js';

describe('sendgrid email', () => {
  let sendgrid: Awaited<ReturnType<typeof startFakeSendgrid>>;
  beforeAll(async () => {
    sendgrid = await startFakeSendgrid();
  });
  afterAll(() => sendgrid.close());

  const create = (apiKey: string | undefined, baseUrl = sendgrid.url) =>
    createSendgridEmail({ apiKey, from: 'Acme <noreply@example.com>', baseUrl });

  it('posts the message with the API key and returns SendGrid’s message id', async () => {
    const sent = await create(sendgrid.apiKey).send(message);

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

  emailApiContract('sendgrid', () => ({ fake: sendgrid, create }));
});
