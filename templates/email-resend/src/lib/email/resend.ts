import { Resend } from 'resend';
import { type Email, EmailError, isRetryableStatus, recipients } from './email.js';

export interface ResendEmailOptions {
  /** Unset outside production: every send then fails with an EmailError saying so. */
  apiKey: string | undefined;
  from: string;
  /** https://api.resend.com unless a proxy or a test server stands in. */
  baseUrl: string;
}

/** Sends through the Resend API with its SDK. The SDK returns errors instead of throwing; we throw them typed. */
export const createResendEmail = ({ apiKey, from, baseUrl }: ResendEmailOptions): Email => {
  const resend = apiKey ? new Resend(apiKey, { baseUrl }) : undefined;
  return {
    async send(message) {
      const to = recipients(message);
      if (!resend) throw new EmailError('resend: RESEND_API_KEY is not set', { provider: 'resend', retryable: false });
      const { subject, text, html, replyTo } = message;
      const { data, error } = await resend.emails.send({ from, to, subject, text, html, replyTo });
      if (error) {
        // statusCode is null when the request never got an answer (network down, DNS).
        const status = error.statusCode ?? undefined;
        throw new EmailError(`resend: ${error.message}`, {
          provider: 'resend',
          status,
          retryable: status === undefined || isRetryableStatus(status),
          cause: error,
        });
      }
      return { id: data.id };
    },
  };
};
