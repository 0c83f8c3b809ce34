import { createHash, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

interface StoredFile {
  bytes: Buffer;
  context: Record<string, string>;
}

/** Never part of the signed string, as Cloudinary documents. */
const UNSIGNED = new Set(['file', 'api_key', 'resource_type', 'cloud_name', 'signature']);

/** `a=1|b=x\=y` -> { a: '1', b: 'x=y' }: pairs split on unescaped `|`, then on the first unescaped `=`. */
const parseContext = (value: string): Record<string, string> =>
  Object.fromEntries(
    value
      .split(/(?<!\\)\|/)
      .map((pair) => pair.split(/(?<!\\)=/))
      .map(([name = '', ...rest]) => [name, rest.join('=').replace(/\\([=|\\])/g, '$1')]),
  );

/**
 * A local stand-in for Cloudinary's Upload and Admin APIs, for code that takes an API base URL.
 * Like Cloudinary it checks every signature (SHA-1 of the sorted parameters plus the API secret),
 * refuses a signed upload more than an hour old and an expired download URL, and takes Basic
 * credentials on the Admin API. Only private raw files (`raw`, type `authenticated`) are kept.
 */
export const startFakeCloudinary = async (
  credentials = { cloudName: 'test-cloud', apiKey: '123456789012345', apiSecret: 'test-api-secret' },
) => {
  const files = new Map<string, StoredFile>();
  const requests: { method: string; path: string }[] = [];
  const { cloudName, apiKey, apiSecret } = credentials;

  const verify = (params: Record<string, string>): string | undefined => {
    if (params.api_key !== apiKey) return 'Unknown API key';
    const toSign = Object.keys(params)
      .filter((name) => !UNSIGNED.has(name) && params[name] !== '')
      .sort()
      .map((name) => `${name}=${params[name]}`.replaceAll('&', '%26'))
      .join('&');
    const expected = Buffer.from(
      createHash('sha1')
        .update(toSign + apiSecret)
        .digest('hex'),
    );
    const given = Buffer.from(params.signature ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'Invalid Signature';
    const age = Date.now() / 1000 - Number(params.timestamp);
    if (!(age < 3600)) return 'Stale request - reported time is more than 1 hour ago';
    return undefined;
  };

  const basicAuthorized = (req: IncomingMessage) => {
    const expected = Buffer.from(`Basic ${Buffer.from(`${apiKey}:${apiSecret}`).toString('base64')}`);
    const given = Buffer.from(req.headers.authorization ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  /** Form fields of a multipart or urlencoded body, parsed as fetch's Request does. */
  const formOf = async (req: IncomingMessage) => {
    const request = new Request('http://fake.invalid/', {
      method: 'POST',
      headers: { 'content-type': req.headers['content-type'] ?? '' },
      body: Readable.toWeb(req) as ReadableStream<Uint8Array>,
      duplex: 'half',
    } as RequestInit);
    const form = await request.formData();
    const params: Record<string, string> = {};
    let file: Buffer | undefined;
    for (const [name, value] of form) {
      if (typeof value === 'string') params[name] = value;
      else if (name === 'file') file = Buffer.from(await value.arrayBuffer());
    }
    return { params, file };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    requests.push({ method: req.method ?? '', path: url.pathname });
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, message: string) => json(status, { error: { message } });
    const prefix = `/v1_1/${cloudName}/`;
    if (!url.pathname.startsWith(prefix)) return error(404, 'Unknown cloud');
    const route = `${req.method} ${url.pathname.slice(prefix.length)}`;

    if (route === 'POST raw/upload') {
      const { params, file } = await formOf(req);
      const refused = verify(params);
      if (refused) return error(401, refused);
      if (!file || !params.public_id || params.type !== 'authenticated') return error(400, 'Missing parameters');
      // overwrite=false: Cloudinary answers with the asset it already has and leaves it alone.
      const existing = files.get(params.public_id);
      if (params.overwrite === 'false' && existing) {
        return json(200, { public_id: params.public_id, bytes: existing.bytes.length, existing: true });
      }
      files.set(params.public_id, { bytes: file, context: parseContext(params.context ?? '') });
      return json(200, {
        public_id: params.public_id,
        resource_type: 'raw',
        type: 'authenticated',
        bytes: file.length,
      });
    }
    if (route === 'POST raw/destroy') {
      const { params } = await formOf(req);
      const refused = verify(params);
      if (refused) return error(401, refused);
      const existed = params.type === 'authenticated' && files.delete(params.public_id ?? '');
      return json(200, { result: existed ? 'ok' : 'not found' });
    }
    if (route === 'GET raw/download') {
      const params = Object.fromEntries(url.searchParams);
      const refused = verify(params);
      if (refused) return error(401, refused);
      if (!(Date.now() / 1000 < Number(params.expires_at))) return error(401, 'Download URL expired');
      const found = files.get(params.public_id ?? '');
      if (!found || params.type !== 'authenticated') return error(404, 'Resource not found');
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': found.bytes.length,
        ...(params.attachment === 'true' && { 'content-disposition': 'attachment' }),
      });
      return res.end(found.bytes);
    }
    if (req.method === 'GET' && !basicAuthorized(req)) return error(401, 'Invalid credentials');
    if (route === 'GET ping') return json(200, { status: 'ok' });
    const resource = /^GET resources\/raw\/authenticated\/([^/]+)$/.exec(route);
    const found = resource && files.get(decodeURIComponent(resource[1] ?? ''));
    if (resource && found) {
      return json(200, { public_id: resource[1], bytes: found.bytes.length, context: { custom: found.context } });
    }
    return error(404, 'Resource not found');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      // An upload cut off mid-body (the client hit its size limit) stores nothing, like Cloudinary.
      if (!res.headersSent) res.writeHead(400).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    /** CLOUDINARY_API_BASE_URL for the app. */
    url,
    /** CLOUDINARY_URL for the app. */
    cloudinaryUrl: `cloudinary://${apiKey}:${apiSecret}@${cloudName}`,
    credentials,
    requests,
    /** Public ids of every stored file. */
    publicIds: () => [...files.keys()],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
