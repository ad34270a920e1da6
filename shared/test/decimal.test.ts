import { describe, expect, it } from 'vitest';
import { datetimeMicros, datetimeParam, timeMicros, timeParam } from '../src/warehouse/civil-time.js';
import { canonicalDecimal, decimalParam, scaledDecimal } from '../src/warehouse/decimal.js';
import { duckdbColumnType, toDuckValue } from '../src/warehouse/duckdb-types.js';
import { paramTypeFor } from '../src/warehouse/dml.js';

describe('exact decimals', () => {
  it('spells every decimal one canonical way', () => {
    expect(['0.300000000', '00012.50', '-0.000', '1E-9', '1.5e3', '+7', '.5', '5.', '-12.3400'].map(canonicalDecimal))
      .toEqual(['0.3', '12.5', '0', '0.000000001', '1500', '7', '0.5', '5', '-12.34']);
    expect(() => canonicalDecimal('1,5')).toThrow(/Not a decimal/);
    expect(() => canonicalDecimal('')).toThrow(/Not a decimal/);
  });

  it('takes a number at its shortest spelling and refuses what NUMERIC would round', () => {
    expect(decimalParam(0.1, 'NUMERIC')).toBe('0.1');
    expect(decimalParam(1e21, 'NUMERIC')).toBe('1000000000000000000000');
    expect(() => decimalParam(0.1 + 0.2, 'NUMERIC')).toThrow(/17 digits after the point; at most 9 fit/);
    expect(() => decimalParam(Number.NaN, 'NUMERIC')).toThrow(/decimal string or a finite number/);
    expect(decimalParam('0.00000000000000000000000000000000000001', 'BIGNUMERIC')).toBe('0.00000000000000000000000000000000000001');
  });

  it('scales to DuckDB\'s DECIMAL(38, s), refusing what does not fit rather than rounding', () => {
    expect(scaledDecimal('-0.000000001', 'NUMERIC', 9)).toBe(-1n);
    expect(scaledDecimal('99999999999999999999999999999.999999999', 'NUMERIC', 9)).toBe(99999999999999999999999999999999999999n);
    expect(() => scaledDecimal('0.0000000000000000001', 'BIGNUMERIC', 18)).toThrow(/at most 18 fit/);
    expect(() => scaledDecimal('123456789012345678901', 'BIGNUMERIC', 18)).toThrow(/at most 20 fit/);
  });
});

describe('DuckDB binds money and civil time exactly', () => {
  it('stores NUMERIC as DECIMAL(38,9) and BIGNUMERIC as DECIMAL(38,18)', () => {
    expect(duckdbColumnType({ name: 'c', type: 'NUMERIC' })).toBe('DECIMAL(38,9)');
    expect(duckdbColumnType({ name: 'c', type: 'BIGNUMERIC' })).toBe('DECIMAL(38,18)');
  });

  it('binds NUMERIC as a DECIMAL value, not a double', () => {
    const v = toDuckValue('0.1', 'NUMERIC') as unknown as { value: bigint; width: number; scale: number };
    expect({ value: v.value, width: v.width, scale: v.scale }).toEqual({ value: 100000000n, width: 38, scale: 9 });
    expect(() => toDuckValue('0.0000000001', 'NUMERIC')).toThrow(/at most 9 fit/);
  });

  it('reads DATETIME and TIME without a zone', () => {
    expect(datetimeParam('2026-01-02 03:04')).toBe('2026-01-02T03:04:00');
    expect(datetimeMicros('1970-01-02T00:00:00.000001')).toBe(86_400_000_001n);
    expect(() => datetimeParam('2026-01-02T03:04:05+02:00')).toThrow(/without a zone/);
    expect(timeParam('23:59:59.999999')).toBe('23:59:59.999999');
    expect(timeMicros('00:01:00.5')).toBe(60_500_000n);
    expect(() => timeParam('24h')).toThrow(/TIME parameter/);
  });
});

describe('parameter types from the schema', () => {
  it('keeps DATETIME, BIGNUMERIC, TIME and RECORD as themselves', () => {
    expect(paramTypeFor({ name: 'a', type: 'DATETIME' })).toBe('DATETIME');
    expect(paramTypeFor({ name: 'a', type: 'BIGNUMERIC' })).toBe('BIGNUMERIC');
    expect(paramTypeFor({ name: 'a', type: 'TIME' })).toBe('TIME');
    expect(paramTypeFor({ name: 'Tags', type: 'RECORD', mode: 'REPEATED', fields: [{ name: 'Key', type: 'STRING' }, { name: 'Value', type: 'STRING' }] }))
      .toEqual({ array: { struct: { Key: 'STRING', Value: 'STRING' } } });
  });
});

describe('DuckDB answers in the port shape', () => {
  it('answers NUMERIC results as exact strings and decimal literals as numbers (BigQuery types those FLOAT64)', async () => {
    const { DuckDbWarehouse } = await import('../src/warehouse/duckdb.js');
    const wh = await DuckDbWarehouse.open(':memory:');
    try {
      const [row] = await wh.query({ sql: 'SELECT @a + @b AS exact, 0.5 AS literal, @a * 3 AS times', params: { a: '0.1', b: '0.2' }, types: { a: 'NUMERIC', b: 'NUMERIC' } });
      expect(row).toEqual({ exact: '0.3', literal: 0.5, times: '0.3' });
    } finally {
      await wh.close();
    }
  });
});
