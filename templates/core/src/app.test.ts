import { createConfig, lintFromString } from '@redocly/openapi-core';
import { hc } from 'hono/client';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { createTestApp, skipReason } from '../test/helpers.js';
import type { AppType } from './app.js';

describe.skipIf(skipReason)('what the app offers its clients', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_URL: 'https://api.example.test/' });
  });
  afterAll(() => t.close());

  it('an OpenAPI document that passes Redocly lint with its recommended rules', async () => {
    const source = await (await t.app.request('/openapi.json')).text();
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source, absoluteRef: 'openapi.json', config });
    const errors = problems.filter((problem) => problem.severity === 'error');
    expect(errors.map((error) => `${error.ruleId}: ${error.message} at ${error.location[0]?.pointer}`)).toEqual([]);
  });

  it('a stable operationId and a declared security on every operation, and the configured server', async () => {
    type Operation = { operationId?: string; security?: unknown[] };
    const doc = (await (await t.app.request('/openapi.json')).json()) as {
      servers: { url: string }[];
      paths: Record<string, Record<string, Operation>>;
    };
    expect(doc.servers).toEqual([{ url: 'https://api.example.test' }]);
    const operations = Object.values(doc.paths).flatMap((path) => Object.values(path));
    expect(operations.every((operation) => operation.operationId && operation.security)).toBe(true);
    expect(doc.paths['/health']?.get).toMatchObject({ operationId: 'getHealth', security: [] });
  });

  it('a typed client through hono/client', async () => {
    const client = hc<AppType>('http://localhost', { fetch: t.app.request });
    const res = await client.health.$get();
    const body = await res.json();
    expectTypeOf(body).toEqualTypeOf<{ status: 'ok' }>();
    expect(body).toEqual({ status: 'ok' });
    // @ts-expect-error: the client knows only the app's routes
    expect(client.nowhere).toBeDefined();
  });
});
