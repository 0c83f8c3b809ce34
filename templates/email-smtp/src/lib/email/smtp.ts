import { createTransport } from 'nodemailer';
import { type Email, EmailError, recipients } from './email.js';

export interface SmtpEmailOptions {
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://...:465` (TLS from the start). */
  url: string;
  from: string;
}

/** Connection trouble is worth a retry; a refused login or a malformed message is not. */
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNRESET']);

/** SMTP replies say it themselves: 4xx is "try again later", 5xx is "never". */
const toEmailError = (err: unknown): EmailError => {
  const { code, responseCode } = (err ?? {}) as { code?: string; responseCode?: number };
  const retryable = responseCode === undefined ? TRANSIENT_CODES.has(code ?? '') : responseCode < 500;
  const reason = err instanceof Error ? err.message : String(err);
  return new EmailError(`smtp: ${reason}`, { provider: 'smtp', status: responseCode, retryable, cause: err });
};

/** Sends through any SMTP server (your provider's relay, Postfix, Mailpit in development) with nodemailer. */
export const createSmtpEmail = ({ url, from }: SmtpEmailOptions): Email => {
  // One connection per message: nothing stays open to close at shutdown. For high volume, `pool: true`.
  const transport = createTransport(url);
  return {
    async send(message) {
      const to = recipients(message);
      try {
        const info = await transport.sendMail({ from, ...message, to });
        return { id: info.messageId };
      } catch (err) {
        throw toEmailError(err);
      }
    },
  };
};
