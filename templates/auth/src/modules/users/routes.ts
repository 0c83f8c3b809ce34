import { createRoute, z } from '@hono/zod-openapi';
import { json, jsonBody, problemResponse } from '../../lib/openapi.js';
import { adminUpdateUserSchema, listUsersQuery, updateMeSchema, userPageSchema, userSchema } from './schema.js';

const refusals = {
  401: problemResponse('Missing or invalid access token'),
  403: problemResponse('Deactivated account, or not an administrator'),
};
const security = [{ bearerAuth: [] }];

export const getMeRoute = createRoute({
  operationId: 'getMe',
  method: 'get',
  path: '/me',
  tags: ['users'],
  summary: 'The signed-in user',
  security,
  responses: { 200: json(userSchema, 'The signed-in user'), ...refusals },
});

export const updateMeRoute = createRoute({
  operationId: 'updateMe',
  method: 'patch',
  path: '/me',
  tags: ['users'],
  summary: 'Change your name or avatar',
  security,
  request: jsonBody(updateMeSchema),
  responses: { 200: json(userSchema, 'The updated user'), 400: problemResponse('Invalid body'), ...refusals },
});

export const listUsersRoute = createRoute({
  operationId: 'listUsers',
  method: 'get',
  path: '/admin/users',
  tags: ['admin'],
  summary: 'Every user, newest first (administrators)',
  security,
  request: { query: listUsersQuery },
  responses: { 200: json(userPageSchema, 'A page of users'), 400: problemResponse('Invalid query'), ...refusals },
});

export const adminUpdateUserRoute = createRoute({
  operationId: 'updateUser',
  method: 'patch',
  path: '/admin/users/{id}',
  tags: ['admin'],
  summary: "Change a user's role or deactivate them (administrators; audited)",
  security,
  request: {
    params: z.object({ id: z.uuid() }),
    ...jsonBody(adminUpdateUserSchema),
  },
  responses: {
    200: json(userSchema, 'The updated user'),
    400: problemResponse('Invalid body'),
    404: problemResponse('No such user'),
    ...refusals,
  },
});
