import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppDeps } from '../../deps.js';
import { httpMetrics } from './http.js';
import { createMetrics } from './metrics.js';

interface Dashboard {
  panels: { title: string; targets: { expr: string }[] }[];
}

/** Series names in a PromQL expression: what ends like a metric (labels and functions do not). */
const seriesIn = (expr: string) => expr.match(/\b[a-z][a-z0-9_]*_(?:total|seconds|bytes|bucket|sum|count)\b/g) ?? [];

describe('ops/grafana/dashboard.json', () => {
  it('queries only series this app exports', async () => {
    const metrics = createMetrics();
    const app = new Hono().use(httpMetrics({ metrics } as AppDeps));
    app.get('/', (c) => c.text('ok'));
    await app.request('/');
    const exported = new Set(
      (await metrics.registry.metrics())
        .split('\n')
        .filter((line) => line && !line.startsWith('#'))
        .map((line) => line.split(/[{ ]/)[0]),
    );

    const dashboard = JSON.parse(readFileSync('ops/grafana/dashboard.json', 'utf8')) as Dashboard;
    const queried = dashboard.panels.flatMap((p) => p.targets.flatMap((t) => seriesIn(t.expr)));
    expect(queried.length).toBeGreaterThanOrEqual(dashboard.panels.length);
    expect(queried.filter((name) => !exported.has(name))).toEqual([]);
  });
});
