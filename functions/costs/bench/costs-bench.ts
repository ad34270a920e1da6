// `npm run bench:costs`: /summary end to end on the embedded warehouse against DuckDB SQL computing
// the same total directly and a plain-JS reduce over the rows, at 100k, 1M and 10M seeded rows.
// COSTS_BENCH_SIZES=100000,1000000 limits the sizes; COSTS_BENCH_JS_MAX (default 1000000) caps the
// plain-JS run (10M rows as JS objects do not fit in a default Node heap). Results: bench/results/.
// Memory of /summary is measured in a child process per size (summary-child.ts) on the seeded file,
// COSTS_BENCH_CALLS (default 20) calls: peak RSS from the kernel, and the heap/external/native split.
// Goals, printed per size as met or MISSED (exit code 1 when one is missed): /summary agrees with
// the SQL total to the paisa (in this process and in the child); its peak RSS in the child stays
// under one instance's memory (1 GiB, deploy.sh); it is faster than the plain-JS reduce.
// Paths are the repository's (this file's folder), whatever the current folder.
// Then the enterprise profile (enterprise-bench.ts: a large billing export's shape, 12 months and a
// 1M-row slice, four views against DuckDB SQL, rows moved, peak RSS, 80 concurrent).
// COSTS_BENCH_PROFILE=standard or =enterprise runs one of the two (default both).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDeps } from '@cloudact/shared/app/create-deps';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { bootstrapCentral } from '@cloudact/shared/bootstrap/bootstrap-central';
import { loadConfig } from '@cloudact/shared/config';
import { seedCosts } from '@cloudact/shared/costs/seed/seed';
import { onboardOrg } from '@cloudact/shared/orgs/onboarding/onboard';
import { centralTables } from '@cloudact/shared/warehouse/schemas';
import { routes } from '../src/routes.js';

const SIZES = (process.env.COSTS_BENCH_SIZES ?? '100000,1000000,10000000').split(',').map(Number);
const JS_MAX = Number(process.env.COSTS_BENCH_JS_MAX ?? 1_000_000);
const DAYS = 30;
const CONFIGS = join(import.meta.dirname, '../../../configs');
const NOW = new Date('2026-03-31T12:00:00Z');
const CHILD_CALLS = Number(process.env.COSTS_BENCH_CALLS ?? 20);
const INSTANCE_MB = 1024;
const RATES_CSV = join(CONFIGS, 'reference/ecb_eur_reference_rates.csv');
const CHILD = join(import.meta.dirname, 'summary-child.ts');

// What the benchmark needs, checked before anything is seeded.
const missing = [RATES_CSV, CHILD, join(CONFIGS, 'setup/bootstrap')].filter((f) => !existsSync(f));
if (missing.length) {
  console.error(`bench:costs cannot start; missing: ${missing.join(', ')}`);
  process.exit(1);
}
if (SIZES.some((n) => !Number.isInteger(n) || n <= 0)) {
  console.error(`bench:costs: COSTS_BENCH_SIZES must be positive whole numbers, got ${process.env.COSTS_BENCH_SIZES}`);
  process.exit(1);
}

/** /summary alone, in a fresh process on the seeded file (the warehouse must be closed: one writer). */
async function summaryInChild(dbPath: string, dataDir: string, key: string): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, COSTS_BENCH_CHILD: JSON.stringify({ dbPath, dataDir, key, calls: CHILD_CALLS, now: NOW.toISOString() }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  if (code !== 0) throw new Error(`summary child exited ${code}: ${out}`);
  return JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

function peakSampler() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 5);
  return { stop: () => { clearInterval(timer); return Math.max(peak, process.memoryUsage().rss); } };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T; peakMb: number; baseMb: number }> {
  const baseMb = process.memoryUsage().rss / 2 ** 20;
  const s = peakSampler();
  const t = performance.now();
  const value = await fn();
  const ms = performance.now() - t;
  return { ms, value, peakMb: s.stop() / 2 ** 20, baseMb };
}

const PROFILE = process.env.COSTS_BENCH_PROFILE ?? 'all';
const results: Record<string, unknown>[] = [];
for (const size of PROFILE === 'enterprise' ? [] : SIZES) {
  const dir = mkdtempSync(join(tmpdir(), 'ca-costs-bench-'));
  const config = loadConfig({ CA_ROOT_API_KEY: 'bench-root-key-0123456789abcdef0123456789', LOCAL_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'), DUCKDB_PATH: join(dir, 'bench.duckdb'), DATA_DIR: dir, LOG_LEVEL: 'ERROR' });
  const deps = await createDeps(config, { clock: () => NOW });
  const ctx = { ...deps, actor: { kind: 'system' as const, name: 'bench' }, requestId: 'bench' };
  await bootstrapCentral({ ...ctx, environment: 'development', tables: centralTables() }, {});
  const { api_key: key } = await onboardOrg({ ...ctx, actor: { kind: 'root' } }, { org_slug: 'bench_in', company_name: 'Bench', admin_email: 'a@bench.test', subscription_plan: 'STARTER', default_currency: 'INR', default_timezone: 'Asia/Kolkata' });
  const seedT = performance.now();
  const seeded = await seedCosts(ctx, { orgSlug: 'bench_in', days: DAYS, rowsPerDay: Math.ceil(size / DAYS), seed: 1, end: '2026-03-31' });
  const seedMs = performance.now() - seedT;
  const app = buildFunctionApp('costs', routes, deps);
  const summary = async () => {
    await app.fetch(new Request('http://fn/api/v1/costs/bench_in/cache/invalidate', { method: 'POST', headers: { 'x-api-key': key } }));
    const res = await app.fetch(new Request('http://fn/api/v1/costs/bench_in/summary?start_date=2026-03-01&end_date=2026-03-31', { headers: { 'x-api-key': key } }));
    return ((await res.json()) as { summary: { total_cost: number } }).summary.total_cost;
  };
  await summary(); // warm: first-use loads, the rates cache
  const api = await timed(summary);
  // DuckDB SQL, the same numbers: local day by ICU, the rate of that day by ASOF join on the ECB CSV.
  await deps.warehouse.execute({ sql: `CREATE OR REPLACE TABLE bench_rates AS SELECT date, currency, CAST(per_eur AS DOUBLE) AS per_eur FROM (UNPIVOT (SELECT * FROM read_csv('${RATES_CSV}', header = true)) ON USD, JPY, GBP, CHF, CAD, AUD, CNY, INR, SGD INTO NAME currency VALUE per_eur) UNION ALL SELECT date, 'EUR', 1.0 FROM read_csv('${RATES_CSV}', header = true)` });
  const sqlText = `WITH r AS (SELECT CAST(timezone('Asia/Kolkata', ChargePeriodStart AT TIME ZONE 'UTC') AS DATE) AS day, BillingCurrency AS cur, SUM(EffectiveCost) AS c FROM "bench_in_prod"."cost_data_standard_1_2" GROUP BY ALL)
    SELECT SUM(CAST(r.c AS DOUBLE) * t.per_eur / s.per_eur) AS total FROM r ASOF JOIN bench_rates s ON s.currency = r.cur AND s.date <= r.day ASOF JOIN bench_rates t ON t.currency = 'INR' AND t.date <= r.day WHERE r.day BETWEEN DATE '2026-03-01' AND DATE '2026-03-31'`;
  const sql = await timed(async () => Number((await deps.warehouse.query({ sql: sqlText }))[0]!.total));
  let js: Awaited<ReturnType<typeof timed<number>>> | undefined;
  if (size <= JS_MAX) {
    const rates = await deps.warehouse.query({ sql: 'SELECT CAST(date AS VARCHAR) AS d, currency, per_eur FROM bench_rates ORDER BY d' });
    const perDay = new Map<string, number>();
    for (const r of rates) perDay.set(`${String(r.currency)}|${String(r.d)}`, Number(r.per_eur));
    const rateOn = (cur: string, day: string) => { for (let d = day, i = 0; i < 10; i++) { const v = perDay.get(`${cur}|${d}`); if (v) return v; d = new Date(Date.parse(d) - 86_400_000).toISOString().slice(0, 10); } return cur === 'EUR' ? 1 : NaN; };
    js = await timed(async () => {
      const rows = await deps.warehouse.query({ sql: 'SELECT ChargePeriodStart, BillingCurrency, EffectiveCost FROM "bench_in_prod"."cost_data_standard_1_2"' });
      const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' });
      return rows.reduce((sum, r) => {
        const day = fmt.format(new Date(String(r.ChargePeriodStart)));
        if (day < '2026-03-01' || day > '2026-03-31') return sum;
        const cur = String(r.BillingCurrency);
        return sum + Number(r.EffectiveCost) * rateOn('INR', day) / (cur === 'EUR' ? 1 : rateOn(cur, day));
      }, 0);
    });
  }
  const agree = Math.round(sql.value * 100) / 100 === api.value;
  const row = {
    rows: seeded.rows, seed_s: +(seedMs / 1000).toFixed(1),
    summary_ms: +api.ms.toFixed(0), summary_peak_rss_mb: +api.peakMb.toFixed(0), summary_rss_delta_mb: +(api.peakMb - api.baseMb).toFixed(0),
    sql_ms: +sql.ms.toFixed(0), js_ms: js ? +js.ms.toFixed(0) : null, js_rss_delta_mb: js ? +(js.peakMb - js.baseMb).toFixed(0) : null,
    summary_vs_sql: +(api.ms / sql.ms).toFixed(2), js_vs_summary: js ? +(js.ms / api.ms).toFixed(1) : null,
    total_inr: api.value, sql_total_inr: Math.round(sql.value * 100) / 100, agree_to_the_paisa: agree,
  };
  await deps.warehouse.close();
  const child = await summaryInChild(config.warehouse.kind === 'duckdb' ? config.warehouse.path : '', dir, key);
  const atPeak = child.at_peak as Record<string, number>;
  Object.assign(row, {
    child_summary_median_ms: child.median_ms, child_peak_rss_mb: child.peak_rss_mb, child_base_rss_mb: child.base_rss_mb,
    child_heap_mb: atPeak.heap_used_mb, child_external_mb: atPeak.external_mb, child_native_mb: atPeak.native_mb,
    child_rss_first_last_mb: `${String(child.rss_after_first_mb)}/${String(child.rss_after_last_mb)}`,
    child_agrees: child.total_inr === api.value,
  });
  const goals: Record<string, boolean | undefined> = {
    agrees_to_the_paisa: agree && child.total_inr === api.value,
    [`child_peak_rss_under_${INSTANCE_MB}_mb`]: Number(child.peak_rss_mb) < INSTANCE_MB,
    faster_than_plain_js: js ? js.ms > api.ms : undefined,
  };
  Object.assign(row, { goals });
  results.push(row);
  console.log(JSON.stringify({ ...row, child }));
  console.log(`${seeded.rows} rows: /summary ${row.summary_ms} ms (child median ${String(child.median_ms)} ms, peak RSS ${String(child.peak_rss_mb)} MB), SQL ${row.sql_ms} ms, plain JS ${row.js_ms === null ? 'not run' : `${row.js_ms} ms`}\n  goals: ${Object.entries(goals).map(([g, ok]) => `${g}: ${ok === undefined ? 'not measured' : ok ? 'met' : 'MISSED'}`).join('; ')}`);
  if (Object.values(goals).includes(false)) process.exitCode = 1;
  rmSync(dir, { recursive: true, force: true });
}
const out = join(import.meta.dirname, 'results');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, `costs-bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify(results, null, 2));
if (results.length) console.table(results.map(({ goals: _goals, ...r }) => r));
if (PROFILE !== 'standard') {
  console.log('enterprise profile: seeding 12 months and a 1M-row slice (minutes)...');
  const { enterpriseBench } = await import('./enterprise-bench.js');
  const ent = await enterpriseBench();
  writeFileSync(join(out, `costs-enterprise-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify(ent.results, null, 2));
  console.table(ent.results.map(({ goals: _g, ...r }) => r));
  for (const r of ent.results) console.log(`${String(r.size)} ${String(r.view)}: ${String(r.goals)}`);
  if (ent.missed) process.exitCode = 1;
}
console.log(process.exitCode ? 'bench:costs: a goal was MISSED (above)' : 'bench:costs: every goal met');
