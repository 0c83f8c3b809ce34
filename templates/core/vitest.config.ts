import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Databases and servers start per test file; give them room on a busy CI runner.
    hookTimeout: 30_000,
    // Test files share the module graph of their worker instead of re-importing it: no test mocks a
    // module, and each builds its own app through createApp. This makes the suite about 3x faster.
    isolate: false,
  },
});
