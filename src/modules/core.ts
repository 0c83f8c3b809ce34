import type { ModuleManifest } from './types.js';

export const core: ModuleManifest = {
  id: 'core',
  description: 'Hono on Node.js: env, logging, errors, security headers, CORS, rate limiting, health, OpenAPI',
  when: () => true,
  dependencies: ['hono', '@hono/node-server', '@hono/zod-openapi', 'swagger-ui-dist', 'zod', 'pino'],
  devDependencies: [
    'typescript',
    'vitest',
    '@biomejs/biome',
    '@types/node',
    'tsx',
    'pino-pretty',
    '@redocly/openapi-core',
  ],
  scripts: {
    dev: 'tsx watch --clear-screen=false src/index.ts',
    build: 'tsc -p tsconfig.build.json',
    start: 'NODE_ENV=production node dist/index.js',
    cleanup: 'NODE_ENV=production node dist/cleanup-once.js',
    test: 'vitest run',
    typecheck: 'tsc --noEmit',
    lint: 'biome check .',
    format: 'biome check --write .',
  },
  env: [
    {
      name: 'NODE_ENV',
      example: 'development',
      description: 'development, test or production',
      schema: "z.enum(['development', 'test', 'production']).default('development')",
    },
    {
      name: 'PORT',
      example: '3000',
      description: 'HTTP port',
      schema: 'z.coerce.number().int().min(0).max(65535).default(3000)',
    },
    {
      name: 'HOST',
      example: '0.0.0.0',
      description: 'Interface to listen on',
      schema: "z.string().default('0.0.0.0')",
    },
    {
      name: 'PUBLIC_URL',
      example: 'http://localhost:3000',
      description:
        'Base URL clients reach the API at, the `servers` entry of /openapi.json (unset: http://localhost:PORT)',
      schema: ['z', '    .url()', "    .transform((url) => url.replace(/\\/+$/, ''))", '    .optional()'].join('\n'),
    },
    {
      name: 'LOG_LEVEL',
      example: 'info',
      description: 'pino level: fatal, error, warn, info, debug, trace or silent',
      schema: "z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')",
    },
    {
      name: 'CORS_ORIGINS',
      example: 'http://localhost:5173',
      description: 'Comma-separated origins allowed to call the API from a browser; * allows any; empty allows none',
      schema: 'originList.default([])',
    },
    {
      name: 'CORS_CREDENTIALS',
      example: 'false',
      description: 'Allow cookies and Authorization on cross-origin requests (refused together with CORS_ORIGINS=*)',
      schema: 'z.stringbool().default(false)',
    },
    {
      name: 'TRUST_PROXY',
      example: '0',
      description: 'Reverse proxies in front of the app that append to X-Forwarded-For (0: use the socket address)',
      schema: 'z.coerce.number().int().min(0).default(0)',
    },
    {
      name: 'BODY_LIMIT_BYTES',
      example: '1048576',
      description: 'Largest accepted request body, in bytes',
      schema: 'z.coerce.number().int().positive().default(1_048_576)',
    },
    {
      name: 'RATE_LIMIT_MAX',
      example: '100',
      description: 'Requests per client (an IPv4 address, or an IPv6 /64) per window on /api routes',
      schema: 'z.coerce.number().int().positive().default(100)',
    },
    {
      name: 'RATE_LIMIT_WINDOW_MS',
      example: '60000',
      description: 'Rate-limit window, in milliseconds',
      schema: 'z.coerce.number().int().positive().default(60_000)',
    },
    {
      name: 'SHUTDOWN_TIMEOUT_MS',
      example: '10000',
      description: 'On SIGTERM/SIGINT, how long in-flight requests may finish before the process exits anyway',
      schema: 'z.coerce.number().int().positive().default(10_000)',
    },
  ],
  slots: {
    routes: [
      {
        imports: ["import { healthRoutes } from './modules/health/index.js';"],
        path: '/',
        router: 'healthRoutes(deps)',
      },
    ],
  },
};
