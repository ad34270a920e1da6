import { describe, expect, it } from 'vitest';
import { metered, RoundTripMeter, withMeter } from '../src/warehouse/metering.js';
import { DuckDbWarehouse } from '../src/warehouse/duckdb.js';

describe('round-trip meter', () => {
  it('counts calls and measures the deepest sequential chain, independent of speed', async () => {
    const wh = metered(await DuckDbWarehouse.open(':memory:'));
    const meter = new RoundTripMeter();
    await withMeter(meter, async () => {
      await Promise.all([wh.ping(), wh.ping(), wh.ping()]); // depth 1
      await wh.ping(); // depth 2
      await Promise.all([wh.ping(), (async () => { await wh.ping(); await wh.ping(); })()]); // depth 4 via the inner chain
    });
    expect(meter.count).toBe(7);
    expect(meter.depth).toBe(4);
    await wh.close();
  });

  it('keeps requests apart', async () => {
    const wh = metered(await DuckDbWarehouse.open(':memory:'));
    const a = new RoundTripMeter();
    const b = new RoundTripMeter();
    await Promise.all([withMeter(a, () => wh.ping()), withMeter(b, async () => { await wh.ping(); await wh.ping(); })]);
    expect([a.count, a.depth, b.count, b.depth]).toEqual([1, 1, 2, 2]);
    await wh.close();
  });

  it('does not meter the non-round-trip helpers', async () => {
    const wh = metered(await DuckDbWarehouse.open(':memory:'));
    const meter = new RoundTripMeter();
    withMeter(meter, () => wh.table('a', 'b'));
    expect(meter.count).toBe(0);
    expect(wh.kind).toBe('duckdb');
    await wh.close();
  });
});
