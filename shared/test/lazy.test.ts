import { describe, expect, it } from 'vitest';
import { openWarehouse } from '../src/app/create-deps.js';
import { createEncryptor } from '../src/crypto/index.js';
import { lazy } from '../src/lazy.js';
import { BigQueryWarehouse, type BigQueryClientLike } from '../src/warehouse/bigquery.js';

describe('lazy', () => {
  it('loads once on first use, shares the result, and tries again after a failed load', async () => {
    let calls = 0;
    const get = lazy(async () => {
      calls++;
      if (calls === 1) throw new Error('first load fails');
      return { n: calls };
    });
    expect(calls).toBe(0);
    await expect(get()).rejects.toThrow('first load fails');
    const [a, b] = await Promise.all([get(), get()]);
    expect(a).toBe(b);
    expect(calls).toBe(2);
  });
});

describe('adapters that load their client library on first use', () => {
  it('a BigQuery warehouse names tables exactly as the adapter does, without loading anything', async () => {
    const wh = await openWarehouse({ kind: 'bigquery', projectId: 'proj-1', location: 'EU' });
    const real = new BigQueryWarehouse({} as BigQueryClientLike, 'proj-1', 'EU');
    expect(wh.kind).toBe('bigquery');
    expect(wh.table('organizations', 'org_profiles')).toBe(real.table('organizations', 'org_profiles'));
    expect(wh.table('3m_india_prod', 'cost_rows')).toBe(real.table('3m_india_prod', 'cost_rows'));
    expect(() => wh.table('bad-name', 't')).toThrow(/Invalid dataset/);
    await wh.close();
  });

  it('a Cloud KMS encryptor is made without a client and says so only when used', async () => {
    const enc = await createEncryptor({ kind: 'kms', keyName: 'projects/p/locations/global/keyRings/r/cryptoKeys/k' });
    expect(enc.kind).toBe('kms');
  });
});
