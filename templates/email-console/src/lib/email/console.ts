import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import { type Email, recipients } from './email.js';

export interface ConsoleEmailOptions {
  logger: Logger;
  from: string;
  /**
   * Log recipients, subject and body. Leave it off in production: bodies carry sign-in links and
   * reset tokens, and addresses are personal data.
   */
  showContent: boolean;
}

/** Sends nothing: logs each message, so in development you can read it and follow its links. */
export const createConsoleEmail = ({ logger, from, showContent }: ConsoleEmailOptions): Email => ({
  async send(message) {
    const to = recipients(message);
    const id = `${randomUUID()}@console`;
    if (showContent) {
      const { subject, text, html, replyTo } = message;
      logger.info({ email: { id, from, to, replyTo, subject, text, html } }, 'email (console driver: not sent)');
    } else {
      logger.warn({ email: { id, recipients: to.length } }, 'email not sent: the console driver only logs');
    }
    return { id };
  },
});
