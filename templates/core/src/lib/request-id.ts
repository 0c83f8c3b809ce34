import { randomBytes } from 'node:crypto';

/** Incoming ids are echoed only when short and plain, so they are safe to log and return. */
const ACCEPTED_ID = /^[\w.:-]{1,128}$/;

/** A random per-process prefix plus a counter: unique across instances and far cheaper than a UUID per request. */
export const requestIdGenerator = (): (() => string) => {
  const prefix = randomBytes(4).toString('hex');
  let counter = 0;
  return () => `${prefix}-${(++counter).toString(36)}`;
};

export const acceptedRequestId = (incoming: string | undefined): string | undefined =>
  incoming !== undefined && ACCEPTED_ID.test(incoming) ? incoming : undefined;
