import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/test/**/*.test.ts', 'functions/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // DuckDB in memory per suite; suites that start servers listen on port 0.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    env: { LOG_LEVEL: 'ERROR' },
    // Every statement a test sends is analyzed by ZetaSQL as BigQuery SQL (ZETASQL_CHECK: fail | report | off).
    globalSetup: ['shared/test/support/zetasql-global-setup.ts'],
    setupFiles: ['shared/test/support/zetasql-setup.ts'],
  },
});
