import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storageContract, streamOf } from '../../../test/storage-contract.js';
import { createLocalStorage, type LocalStorage } from './local.js';
import { fileInside } from './paths.js';
import { DEV_SIGNING_SECRET, signingSecretFrom } from './signing.js';

const SECRET = 'test-signing-secret-0123456789abcdef';
/** The query of a signed URL, as a route would read it. */
const queryOf = (url: string) => Object.fromEntries(new URL(url, 'http://localhost').searchParams);

let root: string;
let dir: string;
let clock: number;
let storage: LocalStorage;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'storage-test-'));
  dir = join(root, 'uploads');
  clock = Date.UTC(2030, 0, 1);
  storage = await createLocalStorage({ dir, signingSecret: SECRET, baseUrl: '/files', now: () => clock });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

storageContract('local storage', () => ({ storage, stored: () => readdir(dir) }));

describe('local storage', () => {
  it('writes at the key of a signed upload URL', async () => {
    const { key } = await storage.uploadUrl({ expiresInSeconds: 60 });
    await storage.put(streamOf('uploaded'), { key });
    expect(await storage.head(key)).toMatchObject({ key, size: 8 });
  });

  it('reports a writable folder as ready', async () => {
    await expect(storage.ping()).resolves.toBeUndefined();
  });

  it('refuses a short signing secret', async () => {
    await expect(createLocalStorage({ dir, signingSecret: 'short', baseUrl: '/files' })).rejects.toThrow(/32/);
  });
});

describe('keys from outside', () => {
  const attempts = [
    '../outside',
    '../../etc/passwd',
    '/etc/passwd',
    '..%2Foutside',
    '%2e%2e%2foutside',
    'a\0b',
    `${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}\0`,
    `sub/${crypto.randomUUID()}`,
    '',
  ];

  it.each(attempts)('rejects %j everywhere', async (key) => {
    await writeFile(join(root, 'outside'), 'secret');
    const invalid = { code: 'invalid_key' };
    await expect(storage.get(key)).rejects.toMatchObject(invalid);
    await expect(storage.head(key)).rejects.toMatchObject(invalid);
    await expect(storage.delete(key)).rejects.toMatchObject(invalid);
    await expect(storage.put(streamOf('x'), { key })).rejects.toMatchObject(invalid);
    await expect(storage.downloadUrl(key, { expiresInSeconds: 60 })).rejects.toMatchObject(invalid);
    expect(storage.verify('download', key, { expires: '9999999999', signature: 'x' })).toBe('invalid');
  });

  it.each(['../outside', '/etc/passwd', 'a/../../outside', 'a\0b', '', '.'])(
    'keeps %j inside the folder even past the key format check',
    (name) => {
      expect(() => fileInside(dir, name)).toThrow(/escapes/);
    },
  );
});

describe('signed URLs', () => {
  it('signs a download URL that is valid until it expires', async () => {
    const { key } = await storage.put(streamOf('x'));
    const signed = await storage.downloadUrl(key, { expiresInSeconds: 60 });
    expect(signed.url.startsWith(`/files/${key}?`)).toBe(true);
    expect(signed.expiresAt.getTime()).toBe(clock + 60_000);
    expect(storage.verify('download', key, queryOf(signed.url))).toBe('valid');

    clock += 59_999;
    expect(storage.verify('download', key, queryOf(signed.url))).toBe('valid');
    clock += 1;
    expect(storage.verify('download', key, queryOf(signed.url))).toBe('expired');
  });

  it('refuses a tampered signature, key or expiry', async () => {
    const { key, url } = await storage.uploadUrl({ expiresInSeconds: 60 });
    const query = queryOf(url);
    const flipped = `${query.signature?.startsWith('A') ? 'B' : 'A'}${query.signature?.slice(1)}`;
    expect(storage.verify('upload', key, { ...query, signature: flipped })).toBe('invalid');
    expect(storage.verify('upload', crypto.randomUUID(), query)).toBe('invalid');
    expect(storage.verify('upload', key, { ...query, expires: String(Number(query.expires) + 3600) })).toBe('invalid');
  });

  it('does not accept an upload signature for a download', async () => {
    const { key, url } = await storage.uploadUrl({ expiresInSeconds: 60 });
    expect(storage.verify('upload', key, queryOf(url))).toBe('valid');
    expect(storage.verify('download', key, queryOf(url))).toBe('invalid');
  });

  it('refuses a URL signed with another secret', async () => {
    const other = await createLocalStorage({
      dir,
      signingSecret: 'another-secret-of-at-least-32-chars!',
      baseUrl: '/files',
      now: () => clock,
    });
    const { key, url } = await other.uploadUrl({ expiresInSeconds: 60 });
    expect(storage.verify('upload', key, queryOf(url))).toBe('invalid');
  });

  it.each([{}, { expires: '1e10', signature: 'x' }, { expires: '-1', signature: 'x' }, { expires: '9999999999' }])(
    'refuses a malformed query %j',
    (query) => {
      expect(storage.verify('download', crypto.randomUUID(), query)).toBe('invalid');
    },
  );
});

describe('signing secret', () => {
  it('uses STORAGE_SIGNING_SECRET when set', () => {
    expect(signingSecretFrom({ NODE_ENV: 'production', STORAGE_SIGNING_SECRET: SECRET })).toBe(SECRET);
  });

  it('falls back to the development secret outside production only', () => {
    expect(signingSecretFrom({ NODE_ENV: 'development' })).toBe(DEV_SIGNING_SECRET);
    expect(signingSecretFrom({ NODE_ENV: 'test' })).toBe(DEV_SIGNING_SECRET);
    expect(() => signingSecretFrom({ NODE_ENV: 'production' })).toThrow(/required in production/);
  });
});
