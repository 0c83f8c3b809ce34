import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Databases and servers start per test file; give them room on a busy CI runner.
    hookTimeout: 30_000,
  },
});
