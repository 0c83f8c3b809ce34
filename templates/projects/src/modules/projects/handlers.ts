import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { problem } from '../../lib/errors.js';
import { type ScopeEnv, scopeOf } from '../../lib/scope.js';
import type {
  createProjectRoute,
  deleteProjectRoute,
  getProjectRoute,
  listProjectsRoute,
  restoreProjectRoute,
  updateProjectRoute,
} from './routes.js';
import { toProjectJson } from './schema.js';
import type { ProjectsService } from './service.js';

type Env = ScopeEnv;

const missing = (c: Context<Env>) => problem(c, 404, { detail: 'No such project' });

export const projectHandlers = (projects: ProjectsService) => {
  const list: RouteHandler<typeof listProjectsRoute, Env> = async (c) => {
    const page = await projects.list(scopeOf(c), c.req.valid('query'));
    if (!page) return problem(c, 400, { detail: 'Invalid cursor' });
    return c.json({ items: page.items.map(toProjectJson), nextCursor: page.nextCursor }, 200);
  };

  const create: RouteHandler<typeof createProjectRoute, Env> = async (c) =>
    c.json(toProjectJson(await projects.create(scopeOf(c), c.req.valid('json'))), 201);

  const get: RouteHandler<typeof getProjectRoute, Env> = async (c) => {
    const row = await projects.get(scopeOf(c), c.req.valid('param').id);
    return row ? c.json(toProjectJson(row), 200) : missing(c);
  };

  const update: RouteHandler<typeof updateProjectRoute, Env> = async (c) => {
    const row = await projects.update(scopeOf(c), c.req.valid('param').id, c.req.valid('json'));
    return row ? c.json(toProjectJson(row), 200) : missing(c);
  };

  const remove: RouteHandler<typeof deleteProjectRoute, Env> = async (c) => {
    const row = await projects.remove(scopeOf(c), c.req.valid('param').id);
    return row ? c.body(null, 204) : missing(c);
  };

  const restore: RouteHandler<typeof restoreProjectRoute, Env> = async (c) => {
    const row = await projects.restore(scopeOf(c), c.req.valid('param').id);
    return row ? c.json(toProjectJson(row), 200) : missing(c);
  };

  return { list, create, get, update, remove, restore };
};
