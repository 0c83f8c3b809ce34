import { type DestinationStream, type Logger, pino } from 'pino';
import type { Env } from '../env.js';

export type { Logger };

/** How long a log line may wait in the buffer before it is written. */
const FLUSH_EVERY_MS = 1_000;

/**
 * JSON lines to stdout through one asynchronous, buffered destination: logging never blocks a request,
 * and lines go out in 4 KiB writes or at least every second. `flushLogger` writes the rest on shutdown.
 * Human-readable through pino-pretty in development. Credentials never reach the log.
 */
export const createLogger = (env: Pick<Env, 'NODE_ENV' | 'LOG_LEVEL'>, destination?: DestinationStream): Logger => {
  const options = {
    level: env.LOG_LEVEL,
    // Exact paths: wildcard redaction would cost more than the rest of a log call.
    redact: {
      paths: ['headers.authorization', 'headers.cookie', 'req.headers.authorization', 'req.headers.cookie'],
      censor: '[redacted]',
    },
  };
  if (destination) return pino(options, destination);
  if (env.NODE_ENV === 'development') {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname' } } });
  }
  const stdout = pino.destination({ sync: false, minLength: 4096 });
  setInterval(() => stdout.flush(), FLUSH_EVERY_MS).unref();
  return pino(options, stdout);
};

/** Writes out what the destination still buffers; resolves once it is written. */
export const flushLogger = (logger: Logger): Promise<void> => new Promise((resolve) => logger.flush(() => resolve()));
