import { startFakeEmailApi } from './fake-email-api.js';

/**
 * A local stand-in for SendGrid's Mail Send API (POST /v3/mail/send), which answers as SendGrid does:
 * 202 with an X-Message-Id header.
 */
export const startFakeSendgrid = (apiKey = 'SG.test-key') =>
  startFakeEmailApi({
    apiKey,
    path: '/v3/mail/send',
    trailingSlash: true,
    unauthorized: 'The provided authorization grant is invalid, expired, or revoked',
    accepted: (res, sent) => {
      res.writeHead(202, { 'x-message-id': `fake-sendgrid-${sent}` });
      res.end();
    },
    error: (_status, message) => ({ errors: [{ message, field: null, help: null }] }),
  });

/** For every test app (test/helpers.ts): its mail goes to a fake of its own. */
export const startEmailTestService = async () => {
  const fake = await startFakeSendgrid();
  return { env: { SENDGRID_API_KEY: fake.apiKey, SENDGRID_BASE_URL: fake.url }, drop: fake.close };
};
