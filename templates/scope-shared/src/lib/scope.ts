import type { Context } from 'hono';
import type { AppDeps } from '../deps.js';
import type { AppEnv } from './app-env.js';
import { createRouter } from './router.js';

/** Without authentication there are no owners: every caller shares every row. */
export type Scope = Record<string, never>;

export type ScopeEnv = AppEnv;

export const scopeOf = (_c: Context<ScopeEnv>): Scope => ({});

/** Every row of the table: no owner to filter on. */
export const inScope = (_table: object, _scope: Scope): undefined => undefined;

/** A plain router: nothing to check before the routes. */
export const scopedRouter = (_deps: AppDeps, ..._paths: string[]) => createRouter<ScopeEnv>();

/** OpenAPI for shared routes: public. */
export const scopedRoute = { security: [], responses: {} };
