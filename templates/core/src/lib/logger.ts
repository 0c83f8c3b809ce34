import { type DestinationStream, type Logger, pino } from 'pino';
import type { Env } from '../env.js';

export type { Logger };

/**
 * JSON lines to stdout through one asynchronous destination (flush it on shutdown with `flushLogger`);
 * human-readable through pino-pretty in development. Credentials in headers never reach the log.
 */
export const createLogger = (env: Pick<Env, 'NODE_ENV' | 'LOG_LEVEL'>, destination?: DestinationStream): Logger => {
  const options = {
    level: env.LOG_LEVEL,
    redact: {
      paths: ['*.headers.authorization', '*.headers.cookie', '*.headers["set-cookie"]', '*.password', '*.token'],
      censor: '[redacted]',
    },
  };
  if (destination) return pino(options, destination);
  if (env.NODE_ENV === 'development') {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname' } } });
  }
  return pino(options, pino.destination({ sync: false }));
};

/** Writes out whatever the asynchronous destination still buffers. */
export const flushLogger = (logger: Logger): Promise<void> => new Promise((resolve) => logger.flush(() => resolve()));
