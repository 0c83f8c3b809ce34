import type { AppDeps } from '../../deps.js';
import { scopedRouter } from '../../lib/scope.js';
import { fileHandlers } from './handlers.js';
import {
  confirmUploadRoute,
  deleteFileRoute,
  downloadFileRoute,
  getFileRoute,
  listFilesRoute,
  requestUploadRoute,
  uploadFileRoute,
} from './routes.js';
import { createFilesService } from './service.js';

/** /files: the caller's files (src/lib/scope.ts says whose). */
export const filesRoutes = (deps: AppDeps) => {
  const h = fileHandlers(createFilesService(deps), deps.env.FILES_MAX_BYTES);
  return scopedRouter(deps, '/files')
    .openapi(listFilesRoute, h.list)
    .openapi(uploadFileRoute, h.upload)
    .openapi(requestUploadRoute, h.requestUpload)
    .openapi(getFileRoute, h.get)
    .openapi(downloadFileRoute, h.download)
    .openapi(deleteFileRoute, h.remove)
    .openapi(confirmUploadRoute, h.confirm);
};
