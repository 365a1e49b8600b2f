import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The tests load the simulated cloud from its sources, so they need no build of the package first
  // (the built CLI that e2e tests spawn loads packages/cloud-sim/dist through node_modules).
  resolve: {
    alias: { '@firebreak/cloud-sim': fileURLToPath(new URL('./packages/cloud-sim/src/index.ts', import.meta.url)) },
  },
  test: {
    // packages/*/test: each package's own tests also run here, so CI covers them.
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx', 'packages/*/test/**/*.test.ts'],
    // The crash and e2e tests spawn child processes; two cores only.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
