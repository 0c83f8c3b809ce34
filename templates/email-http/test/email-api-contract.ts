import { describe, expect, it } from 'vitest';
import { type Email, EmailError } from '../src/lib/email/email.js';
import type { FakeEmailApi } from './fake-email-api.js';
import { message } from './message.js';

/**
 * How every HTTP email provider fails, checked through its real SDK against its fake API: errors are
 * typed, retryable only when retrying can help, and no request goes out without a key.
 * `subject` is called inside each test, after the provider's beforeAll has started the fake.
 */
export const emailApiContract = (
  provider: string,
  subject: () => { fake: FakeEmailApi; create: (apiKey: string | undefined, baseUrl?: string) => Email },
) =>
  describe(`${provider} email: errors`, () => {
    it('turns a refused key into a typed error that is not worth retrying', async () => {
      const { fake, create } = subject();
      const error = await create('wrong-key')
        .send(message)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EmailError);
      expect(error).toMatchObject({ provider, status: 401, retryable: false });
      expect((error as Error).message).toContain(fake.unauthorized);
    });

    it('marks rate limits and outages as retryable', async () => {
      const { fake, create } = subject();
      fake.failNext(429, 'Too many requests');
      await expect(create(fake.apiKey).send(message)).rejects.toMatchObject({ status: 429, retryable: true });
      fake.failNext(503, 'Service unavailable');
      await expect(create(fake.apiKey).send(message)).rejects.toMatchObject({ status: 503, retryable: true });
    });

    it('reports an unreachable API as a retryable error', async () => {
      const { fake, create } = subject();
      const nowhere = fake.url.replace(/:\d+/, ':1');
      await expect(create(fake.apiKey, nowhere).send(message)).rejects.toMatchObject({
        name: 'EmailError',
        provider,
        retryable: true,
      });
    });

    it('fails each send, without a request, while no API key is set', async () => {
      const { fake, create } = subject();
      const before = fake.requests.length;
      await expect(create(undefined).send(message)).rejects.toMatchObject({ provider, retryable: false });
      expect(fake.requests).toHaveLength(before);
    });
  });
