import type { ModuleManifest } from './types.js';

export const storageLocal: ModuleManifest = {
  id: 'storage-local',
  description: 'File storage on local disk with HMAC-signed upload and download URLs',
  when: (a) => a.storage === 'local',
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
      secret: true,
    },
  ],
  slots: {
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
  },
};
