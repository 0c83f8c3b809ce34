import type { EnvVar, ModuleManifest } from './types.js';

/** templates/storage holds the provider-neutral part (the Storage interface, keys, the byte limit). */
const dirs = (provider: string) => () => ['storage', `storage-${provider}`];

/** test/storage.ts of the provider, started for every test app: the readiness check needs a server that answers. */
const testStorage = {
  name: 'testStorage',
  imports: ["import { createTestStorage } from './storage.js';"],
  start: 'createTestStorage()',
};

const SIGNED_URLS = [
  'Signed URLs are created with `deps.storage.uploadUrl({ expiresInSeconds })` and',
  '`deps.storage.downloadUrl(key, { expiresInSeconds })`.',
].join('\n');

export const storageLocal: ModuleManifest = {
  id: 'storage-local',
  description: 'File storage on local disk with HMAC-signed upload and download URLs',
  when: (a) => a.storage === 'local',
  templateDirs: dirs('local'),
  env: [
    {
      name: 'STORAGE_DIR',
      example: './data/uploads',
      description: 'Folder for stored files (storage: local)',
      schema: "z.string().min(1).default('./data/uploads')",
    },
    {
      name: 'STORAGE_SIGNING_SECRET',
      example: '',
      description: 'Key for signed file URLs, 32+ random characters (openssl rand -base64 32); required in production',
      schema: 'z.string().min(32).optional()',
      local: 'random',
      secret: true,
    },
  ],
  slots: {
    dataDir: [{ what: 'local uploads' }],
    deps: [
      {
        name: 'storage',
        imports: [
          "import { createLocalStorage, type LocalStorage } from './lib/storage/local.js';",
          "import { signingSecretFrom } from './lib/storage/signing.js';",
        ],
        type: 'LocalStorage',
        create: 'await createLocalStorage({ dir: env.STORAGE_DIR, signingSecret: signingSecretFrom(env) })',
        ready: 'deps.storage.ping()',
      },
    ],
    readme: [
      {
        title: 'File storage',
        body: [
          '`deps.storage` (`src/lib/storage/`) keeps files under `STORAGE_DIR`, at keys the server makes',
          '(random UUIDs, checked again against the folder, so no key or file name can point outside it).',
          `${SIGNED_URLS} Local signed URLs point at the app and carry an HMAC`,
          '(`STORAGE_SIGNING_SECRET`) with their expiry. One instance with a persistent volume only:',
          'several instances need shared storage (`--storage s3|r2|cloudinary`).',
        ].join('\n'),
      },
    ],
  },
};

const s3Env = (provider: 's3' | 'r2'): EnvVar[] => [
  {
    name: 'S3_BUCKET',
    example: 'my-bucket',
    description: `Bucket holding stored files (storage: ${provider})`,
    schema: 'z.string().min(1)',
  },
  provider === 's3'
    ? {
        name: 'S3_REGION',
        example: 'us-east-1',
        description: 'Region of the bucket',
        schema: "z.string().min(1).default('us-east-1')",
      }
    : {
        name: 'S3_REGION',
        example: 'auto',
        description: 'Region for request signing; R2 takes `auto`',
        schema: "z.string().min(1).default('auto')",
      },
  provider === 's3'
    ? {
        name: 'S3_ENDPOINT',
        example: '',
        description:
          'S3-compatible endpoint (MinIO, a test server), used with path-style addressing; unset for AWS itself',
        schema: 'z.url().optional()',
      }
    : {
        name: 'S3_ENDPOINT',
        example: 'https://ACCOUNT_ID.r2.cloudflarestorage.com',
        description: 'R2 endpoint of your account, https://<account id>.r2.cloudflarestorage.com (path-style)',
        schema: 'z.url()',
      },
  {
    name: 'S3_ACCESS_KEY_ID',
    example: '',
    description:
      provider === 's3'
        ? 'Access key id; unset (with the secret) to let the AWS SDK find credentials (AWS_* variables, IAM role)'
        : 'R2 API token access key id',
    schema: 'z.string().min(1).optional()',
    secret: true,
  },
  {
    name: 'S3_SECRET_ACCESS_KEY',
    example: '',
    description: provider === 's3' ? 'Secret access key for S3_ACCESS_KEY_ID' : 'R2 API token secret access key',
    schema: 'z.string().min(1).optional()',
    secret: true,
  },
];

const s3Module = (provider: 's3' | 'r2'): ModuleManifest => ({
  id: `storage-${provider}`,
  description:
    provider === 's3'
      ? 'File storage in Amazon S3 or an S3-compatible server, with presigned upload and download URLs'
      : 'File storage in Cloudflare R2 (S3 API), with presigned upload and download URLs',
  when: (a) => a.storage === provider,
  templateDirs: dirs('s3'),
  dependencies: ['@aws-sdk/client-s3', '@aws-sdk/lib-storage', '@aws-sdk/s3-request-presigner'],
  devDependencies: ['s3rver', '@types/s3rver'],
  env: s3Env(provider),
  slots: {
    deps: [
      {
        name: 'storage',
        imports: ["import { createS3Storage, type S3Storage } from './lib/storage/s3.js';"],
        type: 'S3Storage',
        // Written as Biome formats it: the line would pass 120 characters.
        create: [
          'createS3Storage({',
          '    bucket: env.S3_BUCKET,',
          '    region: env.S3_REGION,',
          '    endpoint: env.S3_ENDPOINT,',
          '    accessKeyId: env.S3_ACCESS_KEY_ID,',
          '    secretAccessKey: env.S3_SECRET_ACCESS_KEY,',
          '  })',
        ].join('\n'),
        close: 'deps.storage.close()',
        ready: 'deps.storage.ping()',
      },
    ],
    // Every test app gets its own local S3 server (s3rver).
    testServices: [testStorage],
    readme: [
      {
        title: 'File storage',
        body: [
          `\`deps.storage\` (\`src/lib/storage/s3.ts\`) keeps files in the ${provider === 's3' ? 'S3' : 'R2'} bucket \`S3_BUCKET\``,
          'at keys the server makes (random UUIDs). Uploads stream in parts through the AWS SDK, which loads',
          'on first use so it does not slow the start; a body over `maxBytes` is refused while it streams and',
          'leaves no object. With `S3_ENDPOINT` set, requests go there with path-style addressing',
          '(R2, MinIO and other S3-compatible servers). `GET /health/ready` checks the bucket with HeadBucket.',
          `${SIGNED_URLS} They are presigned S3 URLs: clients PUT or GET the bytes`,
          'straight to the bucket, so allow your web origin in the bucket CORS rules when browsers do that.',
          'Tests run the real SDK against s3rver, a local S3-compatible server (`test/s3-server.ts`); s3rver',
          'checks access key ids and expiry but not SigV4 signatures themselves.',
        ].join('\n'),
      },
    ],
  },
});

export const storageS3 = s3Module('s3');
export const storageR2 = s3Module('r2');

export const storageCloudinary: ModuleManifest = {
  id: 'storage-cloudinary',
  description: 'File storage in Cloudinary (REST API) as private raw files, with signed upload forms and download URLs',
  when: (a) => a.storage === 'cloudinary',
  templateDirs: dirs('cloudinary'),
  env: [
    {
      name: 'CLOUDINARY_URL',
      example: '',
      description:
        'cloudinary://<api key>:<api secret>@<cloud name> from the Cloudinary console (storage: cloudinary); required in production',
      schema: "z.string().startsWith('cloudinary://').optional()",
      secret: true,
    },
    {
      name: 'CLOUDINARY_API_BASE_URL',
      example: 'https://api.cloudinary.com',
      description: 'Cloudinary API base URL; point it at a proxy or a test server',
      schema: "z.url().default('https://api.cloudinary.com')",
    },
  ],
  slots: {
    deps: [
      {
        name: 'storage',
        imports: [
          "import { type CloudinaryStorage, createCloudinaryStorage } from './lib/storage/cloudinary.js';",
          "import { cloudinaryCredentialsFrom } from './lib/storage/cloudinary-auth.js';",
        ],
        type: 'CloudinaryStorage',
        // Written as Biome formats it: the line would pass 120 characters.
        create: [
          'createCloudinaryStorage({',
          '    credentials: cloudinaryCredentialsFrom(env),',
          '    apiBaseUrl: env.CLOUDINARY_API_BASE_URL,',
          '  })',
        ].join('\n'),
        ready: 'deps.storage.ping()',
      },
    ],
    // Every test app gets its own local fake of the Cloudinary API.
    testServices: [testStorage],
    readme: [
      {
        title: 'File storage',
        body: [
          '`deps.storage` (`src/lib/storage/cloudinary.ts`) keeps files in Cloudinary as private raw files',
          '(`authenticated` delivery type) at keys the server makes (random UUIDs), through the REST API at',
          '`CLOUDINARY_API_BASE_URL` with signed requests. A body over `maxBytes` is refused while it streams and',
          'nothing is stored. Size and content type come from the Admin API, which Cloudinary rate-limits per',
          'hour: keep them in your own table too. `GET /health/ready` calls the Admin API `ping`.',
          `${SIGNED_URLS} An upload URL comes with \`form\` fields: the client`,
          'POSTs them with the file as `file` in a multipart form (Cloudinary accepts a signature for one hour,',
          'so upload URLs last an hour at most). Download URLs are expiring private download URLs.',
          'Tests run against a local fake of the API that checks every signature (`test/fake-cloudinary.ts`).',
        ].join('\n'),
      },
    ],
  },
};
