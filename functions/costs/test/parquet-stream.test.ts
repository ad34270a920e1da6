import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { ParquetConcat } from '../../../shared/src/costs/export/parquet-stream.js';

/**
 * The streamed Parquet writer on frames as BigQuery's Arrow path gives them (IPC stream in,
 * zoned timestamps, decimals, nested Tags, all-null columns, an empty chunk): the pieces make one
 * file that Polars reads back as the concatenation of the chunks, row groups in order.
 */
function chunk(offset: number, n: number): pl.DataFrame {
  const ids = Array.from({ length: n }, (_, i) => offset + i);
  const df = pl.DataFrame([
    pl.Series('id', ids).cast(pl.Int64),
    pl.Series('name', ids.map((i) => (i % 7 === 0 ? null : `row-${i}`)), pl.Utf8),
    pl.Series('cost', ids.map((i) => `${i % 2 ? '-' : ''}${i}.123456789`), pl.Utf8).cast(pl.Decimal(38, 9)),
    pl.Series('at', ids.map((i) => 1_767_225_600_000 + i * 60_000)).cast(pl.Datetime('ms')),
    pl.Series('nothing', new Array<string | null>(n).fill(null), pl.Utf8),
    pl.Series('flag', ids.map((i) => i % 3 === 0), pl.Bool),
  ]).withColumns(pl.col('at').dt.replaceTimeZone('UTC'));
  // Through Arrow IPC, as the BigQuery Storage Read API hands chunks over.
  return pl.readIPCStream(df.writeIPCStream());
}

describe('ParquetConcat', () => {
  it('concatenates chunk files into one valid file, rows in order', () => {
    const parts = [chunk(0, 1000), chunk(1000, 0), chunk(1000, 2500), chunk(3500, 1)];
    const file = new ParquetConcat();
    const pieces = [file.start(), ...parts.map((p) => file.add(p.writeParquet({ compression: 'zstd' }))), file.end()];
    const back = pl.readParquet(Buffer.concat(pieces.map((p) => Buffer.from(p))));
    const want = pl.concat(parts, { how: 'vertical' });
    expect(back.height).toBe(3501);
    expect(back.columns).toEqual(want.columns);
    expect(back.getColumn('id').toArray()).toEqual(want.getColumn('id').toArray());
    expect(back.select(pl.col('cost').cast(pl.Utf8)).getColumn('cost').toArray()).toEqual(want.select(pl.col('cost').cast(pl.Utf8)).getColumn('cost').toArray());
    expect(back.writeCSV().toString()).toBe(want.writeCSV().toString());
  });

  it('refuses a chunk of another schema instead of writing a broken file', () => {
    const file = new ParquetConcat();
    file.start();
    file.add(chunk(0, 10).writeParquet());
    expect(() => file.add(chunk(10, 10).drop('flag').writeParquet())).toThrow(/another schema/);
  });
});
