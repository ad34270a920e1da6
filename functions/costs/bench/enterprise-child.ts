// One enterprise-bench measurement in a process of its own (spawned by enterprise-bench.ts): it
// opens the seeded DuckDB file and either answers one view (`path`, cache invalidated, after one
// warm-up call to a different range so modules and rates are loaded) or sends `concurrent`
// requests all at once to one costs app (one instance at the deployed concurrency), then prints
// one JSON line with the kernel's peak RSS.
import { createDeps } from '@cloudact/shared/app/create-deps';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { loadConfig } from '@cloudact/shared/config';
import { routes } from '../src/routes.js';

const { dbPath, dataDir, key, now, path, concurrent } = JSON.parse(process.env.ENTERPRISE_BENCH_CHILD ?? '{}') as { dbPath: string; dataDir: string; key: string; now: string; path?: string; concurrent?: string[] };
const config = loadConfig({ CA_ROOT_API_KEY: 'bench-root-key-0123456789abcdef0123456789', LOCAL_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'), DUCKDB_PATH: dbPath, DATA_DIR: dataDir, LOG_LEVEL: 'ERROR', AUTH_FAILURES_PER_MINUTE: '100000', RATE_LIMITS: 'off' });
const deps = await createDeps(config, { clock: () => new Date(now) });
// The warehouse shares this process here; capped so that the peak is mostly the function's own.
await deps.warehouse.execute({ sql: `SET memory_limit = '${process.env.COSTS_BENCH_DUCKDB_MEMORY ?? '256MB'}'` });
const app = buildFunctionApp('costs', routes, deps);
const headers = { 'x-api-key': key };
const get = async (p: string) => {
  const res = await app.fetch(new Request(`http://fn/api/v1/costs/bench_ent${p}`, { headers }));
  if (res.status !== 200) throw new Error(`${p} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  await res.arrayBuffer();
};
// Warm-up on a one-day range: what any instance has loaded after its first request.
await get('/summary?start_date=2026-03-01&end_date=2026-03-01');
const t = performance.now();
if (path) await get(path);
else await Promise.all((concurrent ?? []).map(get));
const ms = Math.round(performance.now() - t);
await deps.warehouse.close();
// maxRSS is kilobytes (getrusage), kept by the kernel: no sample can miss the peak.
console.log(JSON.stringify({ ms, peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) }));
