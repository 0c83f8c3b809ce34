export interface EmailMessage {
  /** One address or several; `Name <address>` works too. */
  to: string | string[];
  subject: string;
  /** Plain-text body: always sent, and what clients that do not render HTML show. */
  text: string;
  html?: string;
}

export interface SentEmail {
  /** The driver's id for the message, for logs and support tickets. */
  id: string;
}

/** Sends email. Each driver (console today) implements this one method. */
export interface Email {
  send(message: EmailMessage): Promise<SentEmail>;
}

export const recipients = (message: EmailMessage): string[] => {
  const to = [message.to].flat();
  if (to.length === 0) throw new Error('email has no recipient');
  return to;
};
