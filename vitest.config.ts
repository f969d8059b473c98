import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global_setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // End-to-end files start real codex processes; two workers match the 2-core CI machine.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
