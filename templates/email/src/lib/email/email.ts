export interface EmailMessage {
  /** One address or several; `Name <address>` works too. */
  to: string | string[];
  subject: string;
  /** Plain-text body: always sent, and what clients that do not render HTML show. */
  text: string;
  html?: string;
  replyTo?: string;
}

export interface SentEmail {
  /** The provider's id for the message, for logs and support tickets. */
  id: string;
}

/** Sends email. Every driver (console, smtp, resend, sendgrid) implements this one method. */
export interface Email {
  send(message: EmailMessage): Promise<SentEmail>;
}

/**
 * A provider refused or could not take a message. `retryable` says whether sending the same message
 * again later may work (network trouble, rate limits, provider outages) or not (bad address, bad key).
 */
export class EmailError extends Error {
  override readonly name = 'EmailError';
  readonly provider: string;
  readonly status: number | undefined;
  readonly retryable: boolean;

  constructor(
    message: string,
    options: { provider: string; status?: number | undefined; retryable: boolean; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.provider = options.provider;
    this.status = options.status;
    this.retryable = options.retryable;
  }
}

/** HTTP statuses worth a retry: timeouts, rate limits and server errors. */
export const isRetryableStatus = (status: number): boolean => status === 408 || status === 429 || status >= 500;

export const recipients = (message: EmailMessage): string[] => {
  const to = [message.to].flat();
  if (to.length === 0) throw new EmailError('email has no recipient', { provider: 'none', retryable: false });
  return to;
};

/** A provider credential: required in production; elsewhere its absence only fails the sends that need it. */
export const requiredInProduction = (
  env: { NODE_ENV: string } & Record<string, unknown>,
  name: string,
): string | undefined => {
  const value = env[name];
  if (typeof value === 'string' && value !== '') return value;
  if (env.NODE_ENV === 'production') throw new Error(`${name} is required in production`);
  return undefined;
};
