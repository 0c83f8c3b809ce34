/** A problem with what the user asked for: printed without a stack, exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly hint?: string,
    /** The named rule that failed, when a rule did. */
    readonly rule?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure while doing what was asked (install, git, disk): exit code 1. */
export class RunError extends Error {
  readonly exitCode = 1;
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'RunError';
  }
}

/**
 * A UsageError or RunError. Checked by name and exit code rather than `instanceof`, because the
 * lazily loaded CLI bundles (prompts, install) carry their own copy of these classes.
 */
export const isKnownError = (err: unknown): err is UsageError | RunError =>
  err instanceof Error &&
  (err.name === 'UsageError' || err.name === 'RunError') &&
  typeof (err as { exitCode?: unknown }).exitCode === 'number';
