import type { ModuleManifest } from './types.js';

/**
 * Uploaded files on top of the chosen storage (`--storage` other than none): the `files` table,
 * /api/v1/files (streamed multipart upload, presigned upload, download, delete) and cleanup tasks.
 */
export const files: ModuleManifest = {
  id: 'files',
  description: 'Files: streamed uploads with sniffed content types and checksums, presigned uploads, downloads',
  when: (a) => a.storage !== 'none',
  // With an auth module, the tests that one user's files are not another's.
  templateDirs: (a) => ['files/api', ...(a.auth === 'none' ? [] : ['files/owned'])],
  tables: (a) => [a.auth === 'none' ? 'files' : 'files-owned'],
  dependencies: ['busboy', 'file-type'],
  devDependencies: ['@types/busboy'],
  env: [
    {
      name: 'FILES_MAX_BYTES',
      example: '10485760',
      description: 'Largest accepted file, in bytes (uploads over it answer 413 and store nothing)',
      schema: 'z.coerce.number().int().positive().default(10_485_760)',
    },
  ],
  slots: {
    streamedBodies: [{ route: 'POST /api/v1/files' }],
    routes: [
      {
        imports: ["import { filesRoutes } from './modules/files/index.js';"],
        path: '/api/v1',
        router: 'filesRoutes(deps)',
      },
    ],
    cleanup: [
      {
        imports: ["import { purgeDeletedFiles, purgeStaleUploads } from './modules/files/cleanup.js';"],
        name: 'unconfirmed uploads',
        run: 'purgeStaleUploads(deps, { olderThanHours: 24 })',
      },
      { imports: [], name: 'deleted files', run: 'purgeDeletedFiles(deps)' },
    ],
    readme: [
      {
        title: 'Files',
        body: [
          '`/api/v1/files` stores files through `deps.storage`:',
          '',
          '- `POST /files`: `multipart/form-data` with one file part. The body is streamed into storage and',
          '  counted on the way; past `FILES_MAX_BYTES` the upload stops with 413 and nothing is kept, whatever',
          '  `Content-Length` claimed (chunked bodies included). The content type is sniffed from the first bytes',
          '  (`file-type`; `application/octet-stream` when unknown), never taken from the client; a SHA-256',
          '  checksum is stored. The original name is kept for downloads, cleaned of path parts and control',
          '  characters and cut to 200 characters.',
          '- `GET /files` (pages like projects), `GET /files/{id}`, `GET /files/{id}/content` (an attachment',
          '  with the sniffed type and `X-Content-Type-Options: nosniff`), `DELETE /files/{id}`.',
          '- Presigned upload, for large files that should not pass through the API: `POST /files/uploads`',
          '  `{ name }` answers `{ fileId, uploadUrl, method, fields?, key, expiresAt }`. Before `expiresAt`, send',
          '  the file to `uploadUrl`: with method `PUT` the raw bytes are the body; with `POST` (Cloudinary)',
          '  a `multipart/form-data` body of every `fields` entry plus the file as `file`. Then',
          '  `POST /files/{id}/confirm`: the object is read back, checked against the size',
          '  limit, sniffed and checksummed, and the file becomes `ready` (409 while nothing was uploaded).',
          '  An S3 or R2 upload URL still takes uploads after confirm until it expires; a file whose',
          '  object no longer has the confirmed size answers 404 rather than serve bytes nobody checked.',
          '',
          "With an auth module each file has an owner and another user's file answers 404; with `--auth none`",
          'every caller shares all files. `DELETE` hides the row at once, then removes the object and the row;',
          'if storage fails half-way the row stays hidden, and the cleanup (`npm run cleanup`) finishes the job.',
          'That cleanup also removes presigned uploads never confirmed within 24 hours (object, then row);',
          'a deleted pending file waits for it, hidden, since its upload URL may still bring bytes until it expires.',
        ].join('\n'),
      },
    ],
  },
};

/** Local storage has no server of its own: the app serves its signed upload and download URLs. */
export const filesLocal: ModuleManifest = {
  id: 'files-local',
  description: 'Serves the signed upload and download URLs of local storage at /files/{key}',
  when: (a) => a.storage === 'local',
  templateDirs: () => ['files/local'],
  slots: {
    streamedBodies: [{ route: 'PUT /files/*' }],
    readme: [
      {
        title: 'Signed file URLs (local storage)',
        body: [
          'Local storage has no server of its own, so the app serves its signed URLs at `/files/{key}?expires=...&signature=...`',
          '(HMAC with `STORAGE_SIGNING_SECRET`): `PUT` stores the request body once under that key, streamed and at most',
          '`FILES_MAX_BYTES`; `GET` sends the object back as an attachment. An expired or tampered URL answers 403.',
        ].join('\n'),
      },
    ],
    routes: [
      {
        imports: ["import { signedUrlRoutes } from './modules/files/signed-urls.js';"],
        path: '/',
        router: 'signedUrlRoutes(deps)',
      },
    ],
  },
};
