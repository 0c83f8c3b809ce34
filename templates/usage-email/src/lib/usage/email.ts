import type { Email } from '../email/email.js';
import { SYSTEM, type Usage } from './recorder.js';

/** The email sender, with each message its provider took metered as `email.sent`. */
export const meteredEmail = (email: Email, usage: Usage): Email => ({
  async send(message) {
    const sent = await email.send(message);
    usage.record(SYSTEM, 'email.sent');
    return sent;
  },
});
