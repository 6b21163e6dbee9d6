import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Training tests are CPU-bound; two forks match the 2-core CI machine.
    pool: 'forks',
    maxWorkers: 2,
  },
});
