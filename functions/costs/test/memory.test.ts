import { describe, expect, it } from 'vitest';
import { invalidateOrgCache } from '../../../shared/src/costs/cache/result-cache.js';
import { costsApp } from './support.js';

/**
 * Polars frames live outside V8's heap, so nothing in V8 pushes for their collection: an
 * instance that computes summaries all day must free them itself (analytics/release.ts). 200
 * consecutive uncached summaries over a 60-day ledger must not grow the process's RSS beyond a
 * generous bound (measured: about 1-2 MB). At this size V8's own collections, driven by the
 * JS each request allocates, also keep it flat without the releases: the bound catches a leak
 * of frames that stay referenced, not the slower drift the releases and the GC hint remove.
 */
describe('memory', () => {
  it('200 consecutive /summary computations keep RSS flat', async () => {
    const t = await costsApp({ slug: 'mem_co', currency: 'INR', timezone: 'Asia/Kolkata', now: '2026-03-20T12:00:00Z' }, { days: 60, rowsPerDay: 400, seed: 2, end: '2026-03-20' });
    const run = async (n: number) => {
      for (let i = 0; i < n; i++) {
        invalidateOrgCache(t.deps, 'mem_co');
        const { status } = await t.get(`/summary?start_date=2026-01-20&end_date=2026-03-20&currency=${i % 2 ? 'USD' : 'INR'}`);
        expect(status).toBe(200);
      }
      await new Promise((r) => setTimeout(r, 20));
    };
    await run(20);
    const before = process.memoryUsage().rss;
    await run(200);
    const grown = (process.memoryUsage().rss - before) / 1e6;
    console.log(`RSS growth over 200 summaries: ${grown.toFixed(1)} MB`);
    expect(grown).toBeLessThan(150);
  }, 240_000);
});
