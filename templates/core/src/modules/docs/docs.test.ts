import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, skipReason } from '../../../test/helpers.js';

describe.skipIf(skipReason)('API reference', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('serves Swagger UI and every file it loads from the app itself', async () => {
    const page = await t.app.request('/docs');
    expect(page.status).toBe(200);
    const html = await page.text();
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(`${html}\n${policy}`).not.toMatch(/https?:/);
    expect(policy).toContain("script-src 'self';");

    const loaded = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map(([, url]) => url ?? '');
    expect(loaded).toEqual(['/docs/swagger-ui.css', '/docs/swagger-ui-bundle.js', '/docs/init.js']);
    for (const url of loaded) {
      const res = await t.app.request(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type'), url).toMatch(url.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
      expect((await res.text()).length, url).toBeGreaterThan(0);
    }
  });

  it('points Swagger UI at /openapi.json and not at the online validator', async () => {
    const init = await (await t.app.request('/docs/init.js')).text();
    expect(init).toContain("url: '/openapi.json'");
    expect(init).toContain('validatorUrl: null');
  });
});
