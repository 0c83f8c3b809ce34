import { isKnownError, type UsageError } from '../engine/errors.js';

/** Prints an error without a stack and returns the exit code it deserves. */
export const reportError = (err: unknown, json: boolean): number => {
  const known = isKnownError(err);
  const code = known ? err.exitCode : 1;
  const message = err instanceof Error ? err.message : String(err);
  const hint = known ? err.hint : undefined;
  if (json) {
    const rule = known && err.name === 'UsageError' ? (err as UsageError).rule : undefined;
    process.stdout.write(`${JSON.stringify({ ok: false, exitCode: code, error: message, hint, rule })}\n`);
  } else {
    process.stderr.write(`error: ${message}\n${hint ? `  hint: ${hint}\n` : ''}`);
    if (!known && err instanceof Error && process.env.OMNISTACK_DEBUG) process.stderr.write(`${err.stack}\n`);
  }
  return code;
};
