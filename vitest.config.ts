import { defineConfig } from 'vitest/config';

// The generator's own tests. templates/ holds the generated project's tests: never run them here.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
