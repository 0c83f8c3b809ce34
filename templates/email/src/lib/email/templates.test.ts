import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEmailTemplates, TEMPLATES_DIR } from './templates.js';

const templates = createEmailTemplates({ productName: 'Acme' });

describe('email templates', () => {
  it('renders a template into the shared layout, as HTML and as plain text', () => {
    const email = templates.render('welcome', { name: 'Ada', url: 'https://app.example.com/start' });

    expect(email.subject).toBe('Welcome to Acme');
    expect(email.html).toMatch(/^<!doctype html>/);
    expect(email.html).toContain('<title>Welcome to Acme</title>');
    expect(email.html).toContain('Welcome, Ada!');
    expect(email.html).toContain('href="https://app.example.com/start"');
    expect(email.html).toContain('Sent by Acme.');
    expect(email.text).toBe(
      'Welcome, Ada!\n\nYour Acme account is ready. Get started: https://app.example.com/start\n\n\n--\nSent by Acme.\n',
    );
  });

  it('escapes values in HTML but not in plain text', () => {
    const email = templates.render('notification', { title: 'Hi', message: '<script>alert(1)</script> & co' });
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; co');
    expect(email.html).not.toContain('<script>');
    expect(email.text).toContain('<script>alert(1)</script> & co');
  });

  it('renders optional parts only when given', () => {
    const bare = templates.render('notification', { title: 'Build done', message: 'All green.' });
    expect(bare.subject).toBe('Build done');
    expect(bare.html).not.toContain('<a ');
    const linked = templates.render('notification', {
      title: 'Build done',
      message: 'All green.',
      url: 'https://ci.example.com/1',
      action: 'See the build',
    });
    expect(linked.html).toContain('See the build</a>');
    expect(linked.text).toContain('See the build: https://ci.example.com/1');
  });

  it('renders the sign-in and password-reset links with their expiry', () => {
    for (const name of ['sign-in-link', 'password-reset'] as const) {
      const email = templates.render(name, { url: 'https://app.example.com/t?token=abc', expiresInMinutes: 15 });
      // Handlebars escapes `=` too; mail clients decode it like any HTML entity.
      expect(email.html).toContain('href="https://app.example.com/t?token&#x3D;abc"');
      expect(email.text).toContain('https://app.example.com/t?token=abc');
      expect(email.text).toContain('15 minutes');
    }
  });

  it('refuses data a template needs but does not get', () => {
    // The type system already refuses this; the check also covers data that arrives untyped (a job payload).
    const untyped = templates.render as (name: string, data: object) => unknown;
    expect(() => untyped('welcome', { url: 'https://app.example.com' })).toThrow(/"name" not defined/);
  });

  it('fails at creation when a template file is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'email-templates-'));
    try {
      await cp(TEMPLATES_DIR, dir, { recursive: true });
      await rm(join(dir, 'welcome.text.handlebars'));
      expect(() => createEmailTemplates({ productName: 'Acme', dir })).toThrow(/welcome\.text\.handlebars/);
      await cp(join(TEMPLATES_DIR, 'welcome.text.handlebars'), join(dir, 'welcome.text.handlebars'));
      const restored = createEmailTemplates({ productName: 'Acme', dir });
      expect(restored.render('welcome', { name: 'Ada', url: 'https://app.example.com' }).text).toContain(
        'Welcome, Ada!',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
