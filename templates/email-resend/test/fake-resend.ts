import { startFakeEmailApi } from './fake-email-api.js';

/** Resend's error `name` for a status, as its API answers. */
const ERROR_NAMES: Record<number, string> = { 401: 'validation_error', 404: 'not_found', 429: 'rate_limit_exceeded' };

/** A local stand-in for the Resend API (POST /emails), which answers with the new email's id. */
export const startFakeResend = (apiKey = 're_test_key') =>
  startFakeEmailApi({
    apiKey,
    path: '/emails',
    unauthorized: 'API key is invalid',
    accepted: (res, sent) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `fake-resend-${sent}` }));
    },
    error: (status, message) => ({ statusCode: status, name: ERROR_NAMES[status] ?? 'application_error', message }),
  });

/** For every test app (test/helpers.ts): its mail goes to a fake of its own. */
export const startEmailTestService = async () => {
  const fake = await startFakeResend();
  return { env: { RESEND_API_KEY: fake.apiKey, RESEND_BASE_URL: fake.url }, drop: fake.close };
};
