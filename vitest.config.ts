import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // The crash and e2e tests spawn child processes; two cores only.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
