import { createRoute } from '@hono/zod-openapi';
import { json, jsonBody, problemResponse } from '../../lib/openapi.js';
import { scopedRoute } from '../../lib/scope.js';
import {
  createProjectSchema,
  listProjectsQuery,
  projectIdParam,
  projectPageSchema,
  projectSchema,
  updateProjectSchema,
} from './schema.js';

const common = { tags: ['projects'], security: scopedRoute.security };
/** Someone else's project is indistinguishable from a missing one; scoped routes also refuse callers. */
const notFound = { 404: problemResponse('No such project'), ...scopedRoute.responses };

export const listProjectsRoute = createRoute({
  ...common,
  operationId: 'listProjects',
  method: 'get',
  path: '/projects',
  summary: 'List projects: offset or cursor pages, name filter, sort',
  request: { query: listProjectsQuery },
  responses: { 200: json(projectPageSchema, 'A page of projects'), 400: problemResponse('Invalid query'), ...notFound },
});

export const createProjectRoute = createRoute({
  ...common,
  operationId: 'createProject',
  method: 'post',
  path: '/projects',
  summary: 'Create a project',
  request: jsonBody(createProjectSchema),
  responses: { 201: json(projectSchema, 'The new project'), 400: problemResponse('Invalid body'), ...notFound },
});

export const getProjectRoute = createRoute({
  ...common,
  operationId: 'getProject',
  method: 'get',
  path: '/projects/{id}',
  summary: 'One project',
  request: { params: projectIdParam },
  responses: { 200: json(projectSchema, 'The project'), ...notFound },
});

export const updateProjectRoute = createRoute({
  ...common,
  operationId: 'updateProject',
  method: 'patch',
  path: '/projects/{id}',
  summary: 'Change a project',
  request: { params: projectIdParam, ...jsonBody(updateProjectSchema) },
  responses: { 200: json(projectSchema, 'The updated project'), 400: problemResponse('Invalid body'), ...notFound },
});

export const deleteProjectRoute = createRoute({
  ...common,
  operationId: 'deleteProject',
  method: 'delete',
  path: '/projects/{id}',
  summary: 'Soft-delete a project (restorable)',
  request: { params: projectIdParam },
  responses: { 204: { description: 'Deleted' }, ...notFound },
});

export const restoreProjectRoute = createRoute({
  ...common,
  operationId: 'restoreProject',
  method: 'post',
  path: '/projects/{id}/restore',
  summary: 'Restore a soft-deleted project',
  request: { params: projectIdParam },
  responses: { 200: json(projectSchema, 'The restored project'), ...notFound },
});
