// The enterprise profile of `npm run bench:costs` (COSTS_BENCH_PROFILE=enterprise runs it alone):
// a billing export shaped like a large org's (seed --profile enterprise: 300 services, 2,000 SKUs,
// 40 projects, hourly rows, Tags, monthly rows spanning days), 12 months of it and a 1M-row
// slice, each in its own DuckDB file. For /summary (12 months), /trend?granularity=monthly,
// /pivot?rows=ServiceName&columns=month and /by-service: time in this process (cache invalidated,
// warm), rows moved from the warehouse to the function beside local days x distinct keys of the
// answer, peak RSS of the view alone in a child process (enterprise-child.ts), and DuckDB SQL
// computing the same numbers directly on the same file (multi-day rows spread by the same rule),
// checked to the paisa. Then 80 concurrent mixed requests on one instance (a child) and its peak.
// Goals, printed met or MISSED (exit code 1 when one is): each view within 1.5x of its SQL; rows
// moved <= local days x keys; peak RSS under 512 MB for one request and under 1 GiB for the 80;
// the peak flat from the slice to 12 months (12-month peak <= 1.25x the slice's + 64 MB).
// The children's DuckDB is the warehouse (on BigQuery it is not in the function's memory at all):
// its memory is capped (COSTS_BENCH_DUCKDB_MEMORY, default 256MB) and counted in the peak anyway.
// COSTS_BENCH_ENTERPRISE_ROWS_PER_DAY (default 60000, about 22M rows a year) sets the big size.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { createDeps } from '@cloudact/shared/app/create-deps';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { bootstrapCentral } from '@cloudact/shared/bootstrap/bootstrap-central';
import { loadConfig } from '@cloudact/shared/config';
import { seedCosts } from '@cloudact/shared/costs/seed/seed';
import { onboardOrg } from '@cloudact/shared/orgs/onboarding/onboard';
import { centralTables } from '@cloudact/shared/warehouse/schemas';
import type { Query, Warehouse } from '@cloudact/shared/warehouse/port';
import { routes } from '../src/routes.js';
import { historyFrom } from '@cloudact/shared/forecast/forecast';

const CONFIGS = join(import.meta.dirname, '../../../configs');
const RATES_CSV = join(CONFIGS, 'reference/ecb_eur_reference_rates.csv');
const CHILD = join(import.meta.dirname, 'enterprise-child.ts');
const NOW = new Date('2026-03-31T12:00:00Z');
const TZ = 'Asia/Kolkata';
const FROM = '2025-04-01';
const TO = '2026-03-31';
const DAYS = 365;
const BIG = Number(process.env.COSTS_BENCH_ENTERPRISE_ROWS_PER_DAY ?? 60_000);
const SIZES = [{ name: '1M slice', rowsPerDay: Math.ceil(1_000_000 / DAYS) }, { name: '12 months', rowsPerDay: BIG }];
const RANGE = `start_date=${FROM}&end_date=${TO}`;

interface View { name: string; path: string; keys: string[] }
const VIEWS: View[] = [
  { name: '/summary', path: `/summary?${RANGE}`, keys: ['ProviderName', 'ServiceName', 'ServiceCategory', 'x_CostCategory'] },
  { name: '/trend monthly', path: `/trend?${RANGE}&granularity=monthly`, keys: ['x_CostCategory', 'ProviderName'] },
  { name: '/pivot ServiceName x month', path: `/pivot?${RANGE}&rows=ServiceName&columns=month`, keys: ['ServiceName'] },
  { name: '/by-service', path: `/by-service?${RANGE}`, keys: ['ProviderName', 'ServiceName', 'ServiceCategory', 'x_CostCategory'] },
];

/** Counts the rows every columnar read brings to the function (Parquet from DuckDB). */
function counting(inner: Warehouse, moved: { rows: number }): Warehouse {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (prop !== 'queryColumnar') return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      return async (q: Query) => {
        const res = await target.queryColumnar(q);
        moved.rows += pl.readParquet(Buffer.from(res.data)).height;
        return res;
      };
    },
  });
}

/** Every ledger row's EffectiveCost by local day in INR, multi-day rows spread by their seconds on each day (README, Costs), in DuckDB SQL of its own. */
function spreadSql(keys: string[], from = FROM, to = TO): string {
  const k = keys.join(', ');
  const dayStart = (d: string) => `epoch(timezone('${TZ}', CAST(${d} AS TIMESTAMP)))`;
  return `WITH src AS (
      SELECT ${k}, BillingCurrency AS cur, CAST(EffectiveCost AS DOUBLE) AS c, epoch(ChargePeriodStart) AS s, epoch(ChargePeriodEnd) AS e,
        CAST(timezone('${TZ}', ChargePeriodStart AT TIME ZONE 'UTC') AS DATE) AS d0,
        CAST(timezone('${TZ}', (ChargePeriodEnd - INTERVAL 1 SECOND) AT TIME ZONE 'UTC') AS DATE) AS d1
      FROM "bench_ent_prod"."cost_data_standard_1_2"
      WHERE ChargePeriodStart >= TIMESTAMP '${from}' - INTERVAL 33 DAY AND ChargePeriodStart < TIMESTAMP '${to}' + INTERVAL 2 DAY),
    parts AS (
      SELECT ${k}, cur, d0 AS day, c FROM src WHERE e - s <= 86400 OR d1 <= d0
      UNION ALL
      SELECT ${k}, cur, day, c * (LEAST(e, ${dayStart('day + INTERVAL 1 DAY')}) - GREATEST(s, ${dayStart('day')})) / (e - s) AS c
      FROM (SELECT *, CAST(UNNEST(range(CAST(d0 AS TIMESTAMP), CAST(d1 AS TIMESTAMP) + INTERVAL 1 DAY, INTERVAL 1 DAY)) AS DATE) AS day FROM src WHERE e - s > 86400 AND d1 > d0)),
    inr AS (
      SELECT ${k}, p.day, p.c * t.per_eur / s.per_eur AS inr FROM (SELECT ${k}, cur, day, SUM(c) AS c FROM parts WHERE day BETWEEN DATE '${from}' AND DATE '${to}' GROUP BY ALL) p
      ASOF JOIN bench_rates s ON s.currency = p.cur AND s.date <= p.day ASOF JOIN bench_rates t ON t.currency = 'INR' AND t.date <= p.day)`;
}

function child(dbPath: string, dataDir: string, key: string, mode: { path?: string; concurrent?: string[] }): Promise<Record<string, number>> {
  const p = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, ENTERPRISE_BENCH_CHILD: JSON.stringify({ dbPath, dataDir, key, now: NOW.toISOString(), ...mode }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  p.stdout.on('data', (b: Buffer) => { out += b.toString(); });
  return new Promise((resolve, reject) => p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, number>) : reject(new Error(`child exited ${code}: ${out}`)))));
}

export async function enterpriseBench(): Promise<{ results: Record<string, unknown>[]; missed: boolean }> {
  const results: Record<string, unknown>[] = [];
  const peaks: Record<string, number> = {};
  let missed = false;
  for (const size of SIZES) {
    const dir = mkdtempSync(join(tmpdir(), 'ca-costs-ent-'));
    const dbPath = join(dir, 'bench.duckdb');
    const config = loadConfig({ CA_ROOT_API_KEY: 'bench-root-key-0123456789abcdef0123456789', LOCAL_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'), DUCKDB_PATH: dbPath, DATA_DIR: dir, LOG_LEVEL: 'ERROR' });
    const moved = { rows: 0 };
    const base = await createDeps(config, { clock: () => NOW });
    const deps = { ...base, warehouse: counting(base.warehouse, moved) };
    const ctx = { ...deps, actor: { kind: 'system' as const, name: 'bench' }, requestId: 'bench' };
    await bootstrapCentral({ ...ctx, environment: 'development', tables: centralTables() }, {});
    const { api_key: key } = await onboardOrg({ ...ctx, actor: { kind: 'root' } }, { org_slug: 'bench_ent', company_name: 'Bench Enterprise', admin_email: 'a@bench.test', subscription_plan: 'ENTERPRISE', default_currency: 'INR', default_timezone: TZ });
    const seedT = performance.now();
    const seeded = await seedCosts(ctx, { orgSlug: 'bench_ent', days: DAYS + 40, rowsPerDay: size.rowsPerDay, seed: 3, end: TO, profile: 'enterprise' }, (p) => {
      process.stderr.write(`\r  seeding ${size.name}: ${p.rows.toLocaleString()} / ${p.total.toLocaleString()} rows ${((performance.now() - seedT) / 1000).toFixed(0)} s`);
    });
    process.stderr.write('\n');
    await deps.warehouse.execute({ sql: `CREATE OR REPLACE TABLE bench_rates AS SELECT date, currency, CAST(per_eur AS DOUBLE) AS per_eur FROM (UNPIVOT (SELECT * FROM read_csv('${RATES_CSV}', header = true)) ON USD, JPY, GBP, CHF, CAD, AUD, CNY, INR, SGD INTO NAME currency VALUE per_eur) UNION ALL SELECT date, 'EUR', 1.0 FROM read_csv('${RATES_CSV}', header = true)` });
    const app = buildFunctionApp('costs', routes, deps);
    const get = async (path: string) => {
      await app.fetch(new Request('http://fn/api/v1/costs/bench_ent/cache/invalidate', { method: 'POST', headers: { 'x-api-key': key } }));
      const res = await app.fetch(new Request(`http://fn/api/v1/costs/bench_ent${path}`, { headers: { 'x-api-key': key } }));
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
      return res.json() as Promise<Answer>;
    };
    const sql = async (text: string) => deps.warehouse.query({ sql: text });
    for (const v of VIEWS) {
      await get(v.path); // warm: modules, rates
      moved.rows = 0;
      const t = performance.now();
      const body = await get(v.path);
      const ms = performance.now() - t;
      const rowsMoved = moved.rows;
      const s = performance.now();
      const reference = await referenceOf(v, sql);
      const sqlMs = performance.now() - s;
      // What the answer needs, in local days x keys x billing currencies (/summary also reads the previous period).
      let bound = Number((await sql(`${spreadSql(v.keys, v.name === '/summary' ? '2024-04-01' : FROM)} SELECT COUNT(*) AS n FROM (SELECT DISTINCT day, cur, ${v.keys.join(', ')} FROM parts WHERE day BETWEEN DATE '${v.name === '/summary' ? '2024-04-01' : FROM}' AND DATE '${TO}')`))[0]!.n);
      // /summary's month-end forecast reads its own history: local days x category x provider x currency.
      if (v.name === '/summary') {
        const from = historyFrom(TO, { start: `${TO.slice(0, 7)}-01` });
        bound += Number((await sql(`${spreadSql(['x_CostCategory', 'ProviderName'], from)} SELECT COUNT(*) AS n FROM (SELECT DISTINCT day, cur, x_CostCategory, ProviderName FROM parts WHERE day BETWEEN DATE '${from}' AND DATE '${TO}')`))[0]!.n);
      }
      const agree = agreement(v, body, reference);
      results.push({ size: size.name, rows: seeded.rows, view: v.name, ms: Math.round(ms), sql_ms: Math.round(sqlMs), ratio: +(ms / sqlMs).toFixed(2), rows_moved: rowsMoved, days_x_keys_x_currencies: bound, agrees_to_the_paisa: agree });
    }
    await base.warehouse.close();
    for (const v of VIEWS) {
      const c = await child(dbPath, dir, key, { path: v.path });
      const r = results.find((x) => x.size === size.name && x.view === v.name)!;
      Object.assign(r, { child_peak_rss_mb: c.peak_rss_mb, child_ms: c.ms });
      peaks[`${size.name}|${v.name}`] = c.peak_rss_mb!;
    }
    const mixed = Array.from({ length: 80 }, (_, i) => {
      const v = VIEWS[i % VIEWS.length]!;
      // Different ranges, so no answer comes from the cache.
      return v.path.replace(`start_date=${FROM}`, `start_date=2025-${String(4 + (i % 9)).padStart(2, '0')}-01`);
    });
    const conc = await child(dbPath, dir, key, { concurrent: mixed });
    results.push({ size: size.name, rows: seeded.rows, view: '80 concurrent mixed', ms: conc.ms, child_peak_rss_mb: conc.peak_rss_mb });
    peaks[`${size.name}|80`] = conc.peak_rss_mb!;
    rmSync(dir, { recursive: true, force: true });
  }
  for (const r of results) {
    const isConc = r.view === '80 concurrent mixed';
    const goals: Record<string, boolean> = isConc
      ? { peak_rss_under_1024_mb: Number(r.child_peak_rss_mb) < 1024 }
      : {
        within_1_5x_of_sql: Number(r.ratio) <= 1.5,
        rows_moved_within_days_x_keys: Number(r.rows_moved) <= Number(r.days_x_keys_x_currencies),
        peak_rss_under_512_mb: Number(r.child_peak_rss_mb) < 512,
        agrees_to_the_paisa: r.agrees_to_the_paisa === true,
      };
    if (r.size === '12 months') {
      const slice = peaks[`1M slice|${isConc ? '80' : String(r.view)}`]!;
      goals.memory_flat_from_1m_slice = Number(r.child_peak_rss_mb) <= slice * 1.25 + 64;
    }
    r.goals = Object.entries(goals).map(([g, ok]) => `${g}: ${ok ? 'met' : 'MISSED'}`).join('; ');
    if (Object.values(goals).includes(false)) missed = true;
  }
  return { results, missed };
}

type Ref = Map<string, number>;
type Answer = { summary: { total_cost?: number; total?: number; columns?: string[] }; data: unknown[] };

async function referenceOf(v: View, sql: (t: string) => Promise<Record<string, unknown>[]>): Promise<Ref> {
  // by-service rows are ServiceName x ProviderName x ServiceCategory (a credit of Compute Engine is its own row).
  const by = v.name === '/summary' ? "'total'" : v.name === '/trend monthly' ? "strftime(day, '%Y-%m')" : v.name === '/by-service' ? "concat_ws('|', ServiceName, ProviderName, coalesce(ServiceCategory, '-'))" : "ServiceName || '|' || strftime(day, '%Y-%m')";
  const rows = await sql(`${spreadSql(v.keys)} SELECT ${by} AS k, SUM(inr) AS v FROM inr GROUP BY 1`);
  return new Map(rows.map((r) => [String(r.k), Number(r.v)]));
}

/** The answer's numbers against the SQL's: the total exactly to the paisa, each part within a paisa (parts are apportioned to add up to the rounded total). */
function agreement(v: View, body: Answer, ref: Ref): boolean {
  const total = [...ref.values()].reduce((a, b) => a + b, 0);
  const cents = (x: number) => Math.round(x * 100);
  const near = (a: number, b: number) => Math.abs(cents(a) - cents(b)) <= 1;
  if (v.name === '/summary') return cents(body.summary.total_cost!) === cents(total);
  if (v.name === '/trend monthly') return cents(body.summary.total_cost!) === cents(total) && (body.data as { period: string; total_cost: number }[]).every((r) => near(r.total_cost, ref.get(r.period) ?? 0));
  if (v.name === '/by-service') {
    // The top 100 services, then `other` holding the rest.
    const rows = body.data as { service_name: string; provider: string | null; service_category: string | null; total_cost: number }[];
    const key = (r: (typeof rows)[number]) => `${r.service_name}|${r.provider}|${r.service_category ?? '-'}`;
    const listed = rows.filter((r) => r.service_name !== 'other');
    const rest = total - listed.reduce((a, r) => a + (ref.get(key(r)) ?? 0), 0);
    const other = rows.find((r) => r.service_name === 'other');
    return cents(body.summary.total_cost!) === cents(total) && listed.every((r) => near(r.total_cost, ref.get(key(r)) ?? 0)) && (!other || near(other.total_cost, rest));
  }
  const cols = body.summary.columns!;
  return cents(body.summary.total!) === cents(total) && (body.data as { key: string; values: number[] }[]).every((r) => r.values.every((x, i) => near(x, ref.get(`${r.key}|${cols[i]}`) ?? 0)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { results, missed } = await enterpriseBench();
  const out = join(import.meta.dirname, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `costs-enterprise-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify(results, null, 2));
  for (const r of results) console.log(JSON.stringify(r));
  console.log(missed ? 'bench:costs enterprise: a goal was MISSED (above)' : 'bench:costs enterprise: every goal met');
  if (missed) process.exitCode = 1;
}
