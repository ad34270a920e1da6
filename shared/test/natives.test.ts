import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../src/warehouse/duckdb.js';

// Installers on the wrong Node version skip optional native packages without a word; these fail loudly instead.
describe('native dependencies', () => {
  it('nodejs-polars computes (its linux binary is installed)', () => {
    const df = pl.DataFrame({ provider: ['openai', 'openai', 'gcp'], cost: [1.5, 2.5, 4] });
    const byProvider = df.groupBy('provider').agg(pl.col('cost').sum()).sort('provider');
    expect(byProvider.toRecords()).toEqual([{ provider: 'gcp', cost: 4 }, { provider: 'openai', cost: 4 }]);
  });

  it('DuckDB runs a query', async () => {
    const wh = await DuckDbWarehouse.open(':memory:');
    expect(await wh.query({ sql: 'SELECT 40 + @n AS x', params: { n: 2 } })).toEqual([{ x: 42 }]);
    await wh.close();
  });
});
