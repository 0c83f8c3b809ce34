import type { Logger } from './logger.js';

/** What clients are told to wait (the Retry-After header) while a dependency is down. */
export const RETRY_AFTER_SECONDS = 5;

/** How often a dependency that is down is tried again, to notice that it is back. */
const PROBE_EVERY_MS = 1_000;

/** The outages of one dependency, logged as they start and end rather than once per failed request. */
export interface OutageWatch {
  /**
   * Whether `err` shows the dependency unavailable (a retry may succeed) rather than a request gone wrong.
   * The first such error of an outage is logged, and the dependency is then probed until it answers.
   */
  report(err: unknown): boolean;
  /** Stops probing; on shutdown. */
  stop(): void;
}

/** `err` and the errors it wraps (`cause`), outermost first: drizzle wraps the driver's errors. */
export const errorChain = (err: unknown): Error[] => {
  const chain: Error[] = [];
  for (let e = err; e instanceof Error && chain.length < 10; e = e.cause) chain.push(e);
  return chain;
};

/** The `code` a driver or the OS puts on its errors (`ECONNREFUSED`, a SQLSTATE, `SQLITE_BUSY`), or ''. */
export const errorCode = (err: Error): string => {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : '';
};

export const watchOutages = (
  name: string,
  options: { logger: Logger; isOutage: (err: unknown) => boolean; probe: () => Promise<unknown> },
): OutageWatch => {
  const { logger } = options;
  let down = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const probeLater = () => {
    timer = setTimeout(async () => {
      const back = await options.probe().then(
        () => true,
        () => false,
      );
      if (stopped) return;
      if (!back) return probeLater();
      down = false;
      logger.info({ dependency: name }, `${name} is available again`);
    }, PROBE_EVERY_MS).unref();
  };
  return {
    report: (err) => {
      if (!options.isOutage(err)) return false;
      if (!down && !stopped) {
        down = true;
        logger.error({ err, dependency: name }, `${name} is unavailable: answering 503 until it is back`);
        probeLater();
      }
      return true;
    },
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
};
