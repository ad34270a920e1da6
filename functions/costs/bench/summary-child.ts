// One size's /summary memory, in a process of its own (spawned by costs-bench.ts): it opens the
// already-seeded DuckDB file, answers COSTS_BENCH_CALLS summaries through the costs function (cache
// invalidated before each, so every call reads the warehouse), and prints one JSON line. The
// seeding process's RSS says nothing about /summary; this process does nothing else.
import { createDeps } from '@cloudact/shared/app/create-deps';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { loadConfig } from '@cloudact/shared/config';
import { routes } from '../src/routes.js';

const { dbPath, dataDir, key, calls, now } = JSON.parse(process.env.COSTS_BENCH_CHILD ?? '{}') as { dbPath: string; dataDir: string; key: string; calls: number; now: string };
const MB = 2 ** 20;

const config = loadConfig({ CA_ROOT_API_KEY: 'bench-root-key-0123456789abcdef0123456789', LOCAL_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'), DUCKDB_PATH: dbPath, DATA_DIR: dataDir, LOG_LEVEL: 'ERROR' });
const deps = await createDeps(config, { clock: () => new Date(now) });
const app = buildFunctionApp('costs', routes, deps);
const headers = { 'x-api-key': key };
const summary = async () => {
  await app.fetch(new Request('http://fn/api/v1/costs/bench_in/cache/invalidate', { method: 'POST', headers }));
  const res = await app.fetch(new Request('http://fn/api/v1/costs/bench_in/summary?start_date=2026-03-01&end_date=2026-03-31', { headers }));
  if (res.status !== 200) throw new Error(`/summary answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { summary: { total_cost: number } }).summary.total_cost;
};

// The process before any summary: Node, the modules, the open warehouse.
const base = process.memoryUsage();
// Sampled, since only RSS has a kernel-kept peak: where the memory was at the RSS peak.
let atPeak = base;
const sampler = setInterval(() => { const m = process.memoryUsage(); if (m.rss > atPeak.rss) atPeak = m; }, 5);
const times: number[] = [];
const rssAfter: number[] = [];
let total = 0;
for (let i = 0; i < calls; i++) {
  const t = performance.now();
  total = await summary();
  times.push(performance.now() - t);
  rssAfter.push(process.memoryUsage().rss);
}
clearInterval(sampler);
const end = process.memoryUsage();
if (end.rss > atPeak.rss) atPeak = end;
await deps.warehouse.close();

const sorted = [...times].sort((a, b) => a - b);
const mb = (n: number) => +(n / MB).toFixed(0);
console.log(JSON.stringify({
  calls,
  total_inr: total,
  first_ms: +times[0]!.toFixed(0),
  median_ms: +sorted[Math.floor(sorted.length / 2)]!.toFixed(0),
  // maxRSS is kilobytes (getrusage), kept by the kernel: no sample can miss the peak.
  peak_rss_mb: +(process.resourceUsage().maxRSS / 1024).toFixed(0),
  base_rss_mb: mb(base.rss),
  peak_over_base_mb: +(process.resourceUsage().maxRSS / 1024 - base.rss / MB).toFixed(0),
  at_peak: { rss_mb: mb(atPeak.rss), heap_used_mb: mb(atPeak.heapUsed), external_mb: mb(atPeak.external), array_buffers_mb: mb(atPeak.arrayBuffers), native_mb: mb(atPeak.rss - atPeak.heapTotal - atPeak.external) },
  // Flat across calls: the RSS after the first and the last call (Polars frames freed, no growth).
  rss_after_first_mb: mb(rssAfter[0]!),
  rss_after_last_mb: mb(rssAfter.at(-1)!),
}));
