import type { ModuleManifest } from './types.js';

export const core: ModuleManifest = {
  id: 'core',
  description: 'Hono on Node.js: env, logging, errors, security headers, CORS, rate limiting, health, OpenAPI',
  when: () => true,
  dependencies: ['hono', '@hono/node-server', '@hono/zod-openapi', '@hono/swagger-ui', 'zod', 'pino'],
  devDependencies: ['typescript', 'vitest', '@biomejs/biome', '@types/node', 'tsx', 'pino-pretty'],
  scripts: {
    dev: 'tsx watch --clear-screen=false src/index.ts',
    build: 'tsc -p tsconfig.build.json',
    start: 'NODE_ENV=production node dist/index.js',
    test: 'vitest run',
    typecheck: 'tsc --noEmit',
    lint: 'biome check .',
    format: 'biome format --write .',
  },
  env: [
    {
      name: 'NODE_ENV',
      example: 'development',
      description: 'development | test | production',
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
  ],
};
