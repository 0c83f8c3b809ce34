import type { ModuleManifest } from './types.js';

export const storageLocal: ModuleManifest = {
  id: 'storage-local',
  description: 'File storage on local disk with HMAC-signed URLs',
  when: (a) => a.storage === 'local',
  env: [
    {
      name: 'STORAGE_DIR',
      example: './data/uploads',
      description: 'Folder for uploaded files (storage: local)',
      schema: "z.string().min(1).default('./data/uploads')",
    },
  ],
};
