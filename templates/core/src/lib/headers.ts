import type { Context } from 'hono';
import type { AppEnv } from './app-env.js';

export type HeaderList = readonly (readonly [name: string, value: string])[];

/**
 * Sets response headers before the handler runs. On Node they go straight onto the ServerResponse,
 * which merges them with the handler's own headers (the handler's win) when it writes the head.
 * Through Hono's c.header() they would instead land in a Headers object built for every response,
 * which costs more than all the rest of the per-request work here (measured: it halved throughput
 * of /health). Under app.request() in tests there is no ServerResponse, so c.header() does the job.
 */
export const setHeader = (c: Context<AppEnv>, name: string, value: string): void => {
  const outgoing = c.env?.outgoing;
  if (outgoing) outgoing.setHeader(name, value);
  else c.header(name, value);
};

export const setHeaders = (c: Context<AppEnv>, headers: HeaderList): void => {
  for (const [name, value] of headers) setHeader(c, name, value);
};
