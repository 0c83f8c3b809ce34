import type { CryptoKey } from 'jose';

/**
 * Imports an HS256 secret once as a CryptoKey: handed a raw secret, jose would import it again on
 * every verification.
 */
export const hmacKey = (secret: string): Promise<CryptoKey> =>
  crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'verify',
  ]);
