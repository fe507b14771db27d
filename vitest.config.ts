import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Network-namespace and Prometheus tests share host state (netns names, ports on loopback);
    // files run in parallel, tests inside a file in order.
    pool: 'forks',
    reporters: ['default'],
  },
});
