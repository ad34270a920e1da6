import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('WAREHOUSE_JOB_TIMEOUT_MS', () => {
  const bq = { WAREHOUSE: 'bigquery', GCP_PROJECT_ID: 'p' };

  it('defaults to 50 s, below Cloud Functions\' 60 s deadline, and can be set', () => {
    expect(loadConfig(bq).warehouse).toMatchObject({ kind: 'bigquery', jobTimeoutMs: 50_000 });
    expect(loadConfig({ ...bq, WAREHOUSE_JOB_TIMEOUT_MS: '20000' }).warehouse).toMatchObject({ jobTimeoutMs: 20_000 });
  });

  it('refuses a timeout too short to run any job', () => {
    expect(() => loadConfig({ ...bq, WAREHOUSE_JOB_TIMEOUT_MS: '500' })).toThrow(ConfigError);
  });
});
