import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppDeps } from '../../deps.js';
import { httpMetrics } from './http.js';
import { createMetrics } from './metrics.js';

interface Dashboard {
  panels: { title: string; targets: { expr: string }[] }[];
}

/** Words of PromQL that are not series: operators and modifiers. */
const KEYWORDS = new Set([
  'by',
  'without',
  'and',
  'or',
  'unless',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
]);

/**
 * The series an expression reads, each with the labels its selector names: label matchers (`{...}`),
 * grouping (`by (...)`), ranges and strings are taken apart first, and functions are words followed by `(`.
 */
const selectorsIn = (expr: string) => {
  const selectors: { name: string; labels: string[] }[] = [];
  const rest = expr
    .replace(/"[^"]*"/g, '""')
    .replace(/\b([a-z_:][a-z0-9_:]*)\{([^}]*)\}/g, (_, name: string, matchers: string) => {
      selectors.push({ name, labels: [...matchers.matchAll(/([a-z_][a-z0-9_]*)\s*=~?/g)].map((m) => m[1] as string) });
      return ' ';
    })
    .replace(/\b(by|without)\s*\(([^)]*)\)/g, (_, _keyword: string, labels: string) => {
      selectors.push({ name: '', labels: labels.split(',').map((l) => l.trim()) });
      return ' ';
    })
    .replace(/\[[^\]]*\]/g, ' ');
  for (const [, name] of rest.matchAll(/\b([a-z_:][a-z0-9_:]*)\b(?!\s*\()/g)) {
    if (!KEYWORDS.has(name as string)) selectors.push({ name: name as string, labels: [] });
  }
  return selectors;
};

describe('ops/grafana/dashboard.json', () => {
  it('queries only series this app exports, by labels they carry', async () => {
    const metrics = createMetrics();
    const app = new Hono().use(httpMetrics({ metrics } as AppDeps));
    app.get('/', (c) => c.text('ok'));
    await app.request('/');
    // name -> label names, from the exposition text the scraper reads.
    const exported = new Map<string, Set<string>>();
    for (const line of (await metrics.registry.metrics()).split('\n')) {
      const sample = /^([a-z_:][a-z0-9_:]*)(?:\{(.*)\})? /.exec(line);
      if (!sample) continue;
      const labels = [...(sample[2] ?? '').matchAll(/([a-z_][a-z0-9_]*)="/g)].map((m) => m[1] as string);
      exported.set(sample[1] as string, new Set([...(exported.get(sample[1] as string) ?? []), ...labels]));
    }
    const allLabels = new Set([...exported.values()].flatMap((l) => [...l]));

    const dashboard = JSON.parse(readFileSync('ops/grafana/dashboard.json', 'utf8')) as Dashboard;
    for (const { title, targets } of dashboard.panels) {
      for (const { expr } of targets) {
        const selectors = selectorsIn(expr);
        expect(
          selectors.some((s) => exported.has(s.name)),
          `${title}: ${expr} names no exported series`,
        ).toBe(true);
        for (const { name, labels } of selectors) {
          if (name) expect(exported.has(name), `${title}: ${name} is not exported`).toBe(true);
          // Grouping labels belong to the expression's series; matchers to their own.
          const known = name ? (exported.get(name) ?? new Set()) : allLabels;
          for (const label of labels)
            expect(known.has(label), `${title}: no label ${label} on ${name || expr}`).toBe(true);
        }
      }
    }
  });
});
