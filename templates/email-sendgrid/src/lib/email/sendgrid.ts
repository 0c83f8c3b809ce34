import sendgridClient from '@sendgrid/client';
import sendgridMail from '@sendgrid/mail';
import { type Email, EmailError, isRetryableStatus, recipients } from './email.js';

// Both default exports are shared singletons. The packages export their classes too, which their type
// declarations leave out: instances of our own keep this key and base URL to this driver.
const { Client } = sendgridClient as unknown as { Client: new () => typeof sendgridClient };
const { MailService } = sendgridMail as unknown as { MailService: new () => typeof sendgridMail };

/** What the SDK throws when SendGrid answers with an error status. */
interface ResponseError {
  code: number;
  response?: { body?: { errors?: { message?: string }[] } };
}

const isResponseError = (err: unknown): err is ResponseError =>
  typeof (err as ResponseError | undefined)?.code === 'number';

export interface SendgridEmailOptions {
  /** Unset outside production: every send then fails with an EmailError saying so. */
  apiKey: string | undefined;
  from: string;
  /** https://api.sendgrid.com/ unless a proxy, the EU host or a test server stands in. */
  baseUrl: string;
}

const toEmailError = (err: unknown): EmailError => {
  if (isResponseError(err)) {
    // SendGrid explains a refusal in `errors[].message`; the HTTP status alone rarely says why.
    const reasons = err.response?.body?.errors?.map((e) => e.message).join('; ');
    return new EmailError(`sendgrid: ${reasons || `HTTP ${err.code}`}`, {
      provider: 'sendgrid',
      status: err.code,
      retryable: isRetryableStatus(err.code),
      cause: err,
    });
  }
  // No response at all: the network or DNS failed, so a later attempt may work.
  const reason = err instanceof Error ? err.message : String(err);
  return new EmailError(`sendgrid: ${reason}`, { provider: 'sendgrid', retryable: true, cause: err });
};

/** Sends through SendGrid's v3 Mail Send API with its SDK; a client of our own, not the shared singleton. */
export const createSendgridEmail = ({ apiKey, from, baseUrl }: SendgridEmailOptions): Email => {
  const mail = new MailService();
  if (apiKey) {
    const client = new Client();
    client.setApiKey(apiKey);
    // After setApiKey, which resets the base URL to the key's region.
    client.setDefaultRequest('baseUrl', baseUrl);
    mail.setClient(client);
  }
  return {
    async send(message) {
      const to = recipients(message);
      if (!apiKey)
        throw new EmailError('sendgrid: SENDGRID_API_KEY is not set', { provider: 'sendgrid', retryable: false });
      const { subject, text, html, replyTo } = message;
      try {
        const [response] = await mail.send({
          from,
          to,
          subject,
          text,
          ...(html ? { html } : {}),
          ...(replyTo ? { replyTo } : {}),
        });
        return { id: String(response.headers['x-message-id'] ?? '') };
      } catch (err) {
        throw toEmailError(err);
      }
    },
  };
};
