import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { message } from '../../../test/message.js';
import { startSmtpServer } from '../../../test/smtp-server.js';
import { EmailError } from './email.js';
import { createSmtpEmail } from './smtp.js';

describe('smtp email', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(() => smtp.close());

  it('delivers the message, both parts, to a real SMTP server', async () => {
    const email = createSmtpEmail({ url: smtp.url, from: 'Acme <noreply@example.com>' });

    const sent = await email.send(message);

    expect(sent.id).toMatch(/^<.+@.+>$/);
    const mail = smtp.received.at(-1);
    expect(mail?.from).toBe('noreply@example.com');
    expect(mail?.to).toEqual(['ada@example.com', 'grace@example.com']);
    expect(mail?.raw).toContain('Subject: Reset your password');
    expect(mail?.raw).toContain('Reply-To: support@example.com');
    expect(mail?.raw).toContain(`Message-ID: ${sent.id}`);
    expect(mail?.raw).toContain('multipart/alternative');
    expect(mail?.raw).toContain('Content-Type: text/plain');
    expect(mail?.raw).toContain('Content-Type: text/html');
  });

  it('turns a refused login into a typed error that is not worth retrying', async () => {
    const url = smtp.url.replace(':secret@', ':wrong@');
    const error = await createSmtpEmail({ url, from: 'noreply@example.com' })
      .send(message)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmailError);
    expect(error).toMatchObject({ provider: 'smtp', retryable: false });
  });

  it('marks a permanent rejection (5xx) as final and a temporary one (4xx) as retryable', async () => {
    const email = createSmtpEmail({ url: smtp.url, from: 'noreply@example.com' });
    smtp.reject(550, 'Mailbox unavailable');
    await expect(email.send(message)).rejects.toMatchObject({ provider: 'smtp', status: 550, retryable: false });
    smtp.reject(451, 'Try again later');
    await expect(email.send(message)).rejects.toMatchObject({ provider: 'smtp', status: 451, retryable: true });
  });

  it('reports an unreachable server as a retryable error', async () => {
    const email = createSmtpEmail({ url: 'smtp://127.0.0.1:1', from: 'noreply@example.com' });
    await expect(email.send(message)).rejects.toMatchObject({ name: 'EmailError', provider: 'smtp', retryable: true });
  });
});
