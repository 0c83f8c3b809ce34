import { createHmac } from 'node:crypto';
import { svixKey } from '../src/modules/webhooks/clerk/svix.js';

/**
 * Signs `body` the way Clerk (through Svix) does, so tests can deliver events: the headers of a delivery
 * with this id, sent `ageSeconds` ago, under `secret` (`whsec_<base64>`).
 */
export const svixHeaders = (secret: string, id: string, body: string, ageSeconds = 0) => {
  const timestamp = String(Math.floor(Date.now() / 1000) - ageSeconds);
  const signature = createHmac('sha256', svixKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'svix-id': id, 'svix-timestamp': timestamp, 'svix-signature': `v1,${signature}` };
};
