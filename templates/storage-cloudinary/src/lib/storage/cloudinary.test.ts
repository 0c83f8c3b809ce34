import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCloudinary } from '../../../test/fake-cloudinary.js';
import { storageContract, streamOf, textOf } from '../../../test/storage-contract.js';
import { type CloudinaryStorage, createCloudinaryStorage } from './cloudinary.js';
import { cloudinaryCredentialsFrom, parseCloudinaryUrl, signParams } from './cloudinary-auth.js';

/** A multipart POST of a signed upload form, as a browser would send it. */
const postForm = (url: string, fields: Record<string, string>, content: string) => {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([content]), 'upload.txt');
  return fetch(url, { method: 'POST', body: form });
};

let fake: Awaited<ReturnType<typeof startFakeCloudinary>>;
let storage: CloudinaryStorage;
const storageAt = (now?: () => number, apiSecret = fake.credentials.apiSecret) =>
  createCloudinaryStorage({
    credentials: { ...fake.credentials, apiSecret },
    apiBaseUrl: fake.url,
    ...(now && { now }),
  });

beforeAll(async () => {
  fake = await startFakeCloudinary();
  storage = storageAt();
});

afterAll(async () => {
  await fake?.close();
});

storageContract('cloudinary storage', () => ({
  storage,
  stored: () => fake.publicIds(),
  requests: () => fake.requests.length,
}));

describe('cloudinary storage', () => {
  it('is refused, as a provider error, when signed with the wrong secret', async () => {
    const wrong = storageAt(undefined, 'not-the-secret');
    await expect(wrong.put(streamOf('x'))).rejects.toMatchObject({ code: 'provider', status: 401 });
    await expect(wrong.delete(crypto.randomUUID())).rejects.toMatchObject({ code: 'provider', status: 401 });
    await expect(wrong.ping()).rejects.toMatchObject({ code: 'provider', status: 401 });
  });

  it('is refused, as a provider error, by an unknown cloud', async () => {
    const elsewhere = createCloudinaryStorage({
      credentials: { ...fake.credentials, cloudName: 'no-such-cloud' },
      apiBaseUrl: fake.url,
    });
    await expect(elsewhere.put(streamOf('x'))).rejects.toMatchObject({ code: 'provider', status: 404 });
    await expect(elsewhere.ping()).rejects.toMatchObject({ code: 'provider', status: 404 });
  });

  it('reports working credentials as ready', async () => {
    await expect(storage.ping()).resolves.toBeUndefined();
  });

  it('fails every call, saying why, without credentials', async () => {
    const unset = createCloudinaryStorage({ credentials: undefined, apiBaseUrl: fake.url });
    await expect(unset.put(streamOf('x'))).rejects.toThrow(/CLOUDINARY_URL is not set/);
    await expect(unset.ping()).rejects.toThrow(/CLOUDINARY_URL is not set/);
  });
});

describe('signed URLs', () => {
  it('lets a client upload with the signed form and download until the URL expires', async () => {
    const upload = await storage.uploadUrl({ expiresInSeconds: 600 });
    expect(upload.url).toBe(`${fake.url}/v1_1/test-cloud/raw/upload`);
    expect(upload.form).toMatchObject({
      public_id: upload.key,
      type: 'authenticated',
      api_key: fake.credentials.apiKey,
    });
    expect((await postForm(upload.url, upload.form ?? {}, 'a,b\n1,2\n')).status).toBe(200);
    expect(await storage.head(upload.key)).toMatchObject({ key: upload.key, size: 8 });

    const download = await storage.downloadUrl(upload.key, { expiresInSeconds: 60 });
    const got = await fetch(download.url);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-disposition')).toBe('attachment');
    expect(await got.text()).toBe('a,b\n1,2\n');
  });

  it('takes one upload per form: a second keeps the first bytes', async () => {
    const upload = await storage.uploadUrl({ expiresInSeconds: 600 });
    expect((await postForm(upload.url, upload.form ?? {}, 'first')).status).toBe(200);
    await postForm(upload.url, upload.form ?? {}, 'swap!');
    expect(await textOf((await storage.get(upload.key))?.body ?? streamOf(''))).toBe('first');
  });

  it('refuses a form whose fields were changed after signing', async () => {
    const upload = await storage.uploadUrl({ expiresInSeconds: 600 });
    const moved = { ...upload.form, public_id: crypto.randomUUID() };
    expect((await postForm(upload.url, moved, 'x')).status).toBe(401);
    expect(fake.publicIds()).not.toContain(moved.public_id);
  });

  it('ends the upload window when asked, by dating the signature back', async () => {
    const clock = Date.UTC(2030, 0, 1);
    const upload = await storageAt(() => clock).uploadUrl({ expiresInSeconds: 600 });
    expect(upload.expiresAt.getTime()).toBe(clock + 600_000);
    expect(Number(upload.form?.timestamp)).toBe(clock / 1000 - 3000);
    // Cloudinary keeps a signature for an hour at most.
    const long = await storageAt(() => clock).uploadUrl({ expiresInSeconds: 86_400 });
    expect(long.expiresAt.getTime()).toBe(clock + 3_600_000);
  });

  it('refuses expired upload forms and download URLs', async () => {
    const { key } = await storage.put(streamOf('old'));
    // Signed an hour and ten minutes ago for ten minutes.
    const past = storageAt(() => Date.now() - 4_200_000);
    const upload = await past.uploadUrl({ expiresInSeconds: 600 });
    const download = await past.downloadUrl(key, { expiresInSeconds: 600 });

    expect((await postForm(upload.url, upload.form ?? {}, 'late')).status).toBe(401);
    expect(fake.publicIds()).not.toContain(upload.key);
    expect((await fetch(download.url)).status).toBe(401);
  });

  it('refuses a download URL with a stretched expiry', async () => {
    const { key } = await storage.put(streamOf('x'));
    const url = new URL((await storage.downloadUrl(key, { expiresInSeconds: 60 })).url);
    url.searchParams.set('expires_at', String(Number(url.searchParams.get('expires_at')) + 86_400));
    expect((await fetch(url)).status).toBe(401);
  });
});

describe('credentials and signatures', () => {
  it('reads CLOUDINARY_URL', () => {
    expect(parseCloudinaryUrl('cloudinary://1234:s%2Fcret@my-cloud')).toEqual({
      cloudName: 'my-cloud',
      apiKey: '1234',
      apiSecret: 's/cret',
    });
  });

  it.each(['https://9876:p4ss@my-cloud', 'cloudinary://my-cloud', 'cloudinary://9876@my-cloud', 'p4ss'])(
    'refuses %j without repeating it',
    (value) => {
      expect(() => parseCloudinaryUrl(value)).toThrow(/must look like/);
      expect(() => parseCloudinaryUrl(value)).not.toThrow(/p4ss|9876/);
    },
  );

  it('requires CLOUDINARY_URL in production only', () => {
    expect(cloudinaryCredentialsFrom({ NODE_ENV: 'development' })).toBeUndefined();
    expect(() => cloudinaryCredentialsFrom({ NODE_ENV: 'production' })).toThrow(/required in production/);
  });

  it("signs as Cloudinary's documentation and SDK do", () => {
    // The example of Cloudinary's "Generating authentication signatures" page.
    const documented = {
      eager: 'w_400,h_300,c_pad|w_260,h_200,c_crop',
      public_id: 'sample_image',
      timestamp: '1315060510',
    };
    expect(signParams(documented, 'abcd')).toBe('bfd09f95f331f558cbd1320e67aa8d488770583e');
    // From the cloudinary SDK's api_sign_request: an `&` inside a value is signed as %26.
    expect(signParams({ public_id: 'a&b=c', timestamp: '1', context: 'k=v\\=x' }, 's')).toBe(
      'fada165175d8f036b3e66fe438897ee376952f6e',
    );
  });
});
