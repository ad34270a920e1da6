import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/test/**/*.test.ts', 'functions/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // DuckDB in memory per suite; suites that start servers listen on port 0.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    env: { LOG_LEVEL: 'ERROR' },
  },
});
