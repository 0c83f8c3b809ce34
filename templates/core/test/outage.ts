import { expect } from 'vitest';
import { RETRY_AFTER_SECONDS } from '../src/lib/outage.js';

/** What a request that needs the database answers while it is unavailable: 503 to retry, no stack. */
export const expectOutageAnswer = async (res: Response) => {
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS));
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const text = await res.text();
  expect(text).not.toContain('stack');
  expect(JSON.parse(text)).toMatchObject({ status: 503, title: 'Service Unavailable' });
};
