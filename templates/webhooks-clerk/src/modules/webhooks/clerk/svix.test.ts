import { describe, expect, it } from 'vitest';
import { svixKey, svixRefusal } from './svix.js';

// The example delivery from Svix's verification docs, so this checks against their signer, not ours.
const key = svixKey('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
const body = new TextEncoder().encode('{"test": 2432232314}');
const sentAt = 1_614_265_330;
const signed = {
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: String(sentAt),
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const at = (seconds: number) => seconds * 1000;

describe('svixRefusal', () => {
  it("accepts Svix's example delivery", () => {
    expect(svixRefusal(key, signed, body, at(sentAt))).toBeUndefined();
  });

  it('accepts when any listed v1 signature matches, whatever else is listed', () => {
    const signature = `v2,AAAA v1,bm90IGl0 ${signed.signature} v1a,xyz`;
    expect(svixRefusal(key, { ...signed, signature }, body, at(sentAt))).toBeUndefined();
  });

  it('refuses a tampered body, id, timestamp or signature', () => {
    const now = at(sentAt);
    expect(svixRefusal(key, signed, new TextEncoder().encode('{"test": 2432232315}'), now)).toBeDefined();
    expect(svixRefusal(key, { ...signed, id: 'msg_other' }, body, now)).toBeDefined();
    expect(svixRefusal(key, { ...signed, timestamp: String(sentAt + 1) }, body, now)).toBeDefined();
    expect(
      svixRefusal(key, { ...signed, signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA=' }, body, now),
    ).toBe('no matching signature');
  });

  it('refuses the right signature written any way but the base64 Svix sends', () => {
    const variants = [
      `${signed.signature}!`,
      signed.signature.replace(/=$/, ''),
      signed.signature.replace(/\+/g, '-').replace(/\//g, '_'),
      `${signed.signature},v1`,
    ];
    for (const signature of variants) {
      expect(svixRefusal(key, { ...signed, signature }, body, at(sentAt))).toBe('no matching signature');
    }
  });

  it('refuses the right signature under another version or key', () => {
    const v2 = signed.signature.replace('v1,', 'v2,');
    expect(svixRefusal(key, { ...signed, signature: v2 }, body, at(sentAt))).toBe('no matching signature');
    const otherKey = svixKey('whsec_dGhpcy1pcy1hbm90aGVyLXNlY3JldC0yNC1ieXRlcw');
    expect(svixRefusal(otherKey, signed, body, at(sentAt))).toBe('no matching signature');
  });

  it('refuses timestamps more than 5 minutes away, either way', () => {
    expect(svixRefusal(key, signed, body, at(sentAt + 300))).toBeUndefined();
    expect(svixRefusal(key, signed, body, at(sentAt - 300))).toBeUndefined();
    expect(svixRefusal(key, signed, body, at(sentAt + 301))).toBe('svix-timestamp outside tolerance');
    expect(svixRefusal(key, signed, body, at(sentAt - 301))).toBe('svix-timestamp outside tolerance');
  });

  it('refuses missing or malformed headers', () => {
    const now = at(sentAt);
    for (const missing of ['id', 'timestamp', 'signature'] as const) {
      expect(svixRefusal(key, { ...signed, [missing]: undefined }, body, now)).toMatch(/^missing/);
    }
    expect(svixRefusal(key, { ...signed, timestamp: '1614265330.5' }, body, now)).toMatch(/not a number/);
    expect(svixRefusal(key, { ...signed, id: 'm'.repeat(129) }, body, now)).toMatch(/too long/);
    expect(svixRefusal(key, { ...signed, signature: 'v1,' }, body, now)).toBe('no matching signature');
    expect(svixRefusal(key, { ...signed, signature: 'garbage' }, body, now)).toBe('no matching signature');
  });
});
