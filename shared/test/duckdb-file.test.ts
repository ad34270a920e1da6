import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../src/warehouse/duckdb.js';
import { WarehouseUnavailableError } from '../src/warehouse/port.js';

describe('a DuckDB file that disappears while in use', () => {
  it('is an error on every call, not a silent fresh start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ca-duck-'));
    const path = join(dir, 'db.duckdb');
    const wh = await DuckDbWarehouse.open(path);
    await wh.ping();
    rmSync(path);
    await expect(wh.ping()).rejects.toBeInstanceOf(WarehouseUnavailableError);
    await expect(wh.query({ sql: 'SELECT 1 AS one' })).rejects.toThrow(/deleted while in use/);
    await wh.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
