import { createRoute } from '@hono/zod-openapi';
import { json, problemResponse } from '../../lib/openapi.js';
import { scopedRoute } from '../../lib/scope.js';
import {
  createUploadSchema,
  fileIdParam,
  filePageSchema,
  fileSchema,
  listFilesQuery,
  multipartFileBody,
  uploadTicketSchema,
} from './schema.js';

const common = { tags: ['files'], security: scopedRoute.security };
/** Someone else's file is indistinguishable from a missing one; scoped routes also refuse callers. */
const notFound = { 404: problemResponse('No such file'), ...scopedRoute.responses };
const tooLarge = { 413: problemResponse('Larger than FILES_MAX_BYTES; nothing was stored') };

export const listFilesRoute = createRoute({
  ...common,
  operationId: 'listFiles',
  method: 'get',
  path: '/files',
  summary: 'List files: offset or cursor pages, sort, status',
  request: { query: listFilesQuery },
  responses: { 200: json(filePageSchema, 'A page of files'), 400: problemResponse('Invalid query'), ...notFound },
});

export const uploadFileRoute = createRoute({
  ...common,
  operationId: 'uploadFile',
  method: 'post',
  path: '/files',
  summary: 'Upload one file (multipart/form-data), streamed into storage',
  request: { body: { content: { 'multipart/form-data': { schema: multipartFileBody } }, required: true } },
  responses: {
    201: json(fileSchema, 'The stored file, with its sniffed content type and checksum'),
    400: problemResponse('Not one well-formed file part'),
    415: problemResponse('Not multipart/form-data'),
    ...tooLarge,
    ...notFound,
  },
});

export const getFileRoute = createRoute({
  ...common,
  operationId: 'getFile',
  method: 'get',
  path: '/files/{id}',
  summary: "A file's metadata",
  request: { params: fileIdParam },
  responses: { 200: json(fileSchema, 'The file'), ...notFound },
});

export const downloadFileRoute = createRoute({
  ...common,
  operationId: 'downloadFile',
  method: 'get',
  path: '/files/{id}/content',
  summary: "A file's bytes, as an attachment",
  request: { params: fileIdParam },
  responses: {
    200: {
      description: 'The bytes, with the sniffed content type',
      content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
    },
    ...notFound,
  },
});

export const deleteFileRoute = createRoute({
  ...common,
  operationId: 'deleteFile',
  method: 'delete',
  path: '/files/{id}',
  summary: 'Delete a file and its bytes',
  request: { params: fileIdParam },
  responses: { 204: { description: 'Deleted' }, ...notFound },
});

export const requestUploadRoute = createRoute({
  ...common,
  operationId: 'requestUpload',
  method: 'post',
  path: '/files/uploads',
  summary: 'Start a presigned upload: send the file to uploadUrl as `method` says, then confirm',
  request: { body: { content: { 'application/json': { schema: createUploadSchema } }, required: true } },
  responses: {
    201: json(uploadTicketSchema, 'Where to upload, until when'),
    400: problemResponse('Invalid body'),
    ...notFound,
  },
});

export const confirmUploadRoute = createRoute({
  ...common,
  operationId: 'confirmUpload',
  method: 'post',
  path: '/files/{id}/confirm',
  summary: 'Confirm a presigned upload: size checked, type sniffed, checksum computed',
  request: { params: fileIdParam },
  responses: {
    200: json(fileSchema, 'The ready file'),
    409: problemResponse('Nothing was uploaded yet'),
    ...tooLarge,
    ...notFound,
  },
});
