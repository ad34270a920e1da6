import { beforeAll, describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { seedCosts } from '@cloudact/shared/costs/seed/seed';
import { DuckDbWarehouse } from '../../../shared/src/warehouse/duckdb.js';
import type { Query, Warehouse } from '../../../shared/src/warehouse/port.js';
import { COST_TABLE, SPREAD_LOOKBACK_DAYS } from '../../../shared/src/costs/ledger/store.js';
import { testDeps } from '../../../shared/test/support/deps.js';
import { bootstrap, onboard, settableClock } from '../../../shared/test/support/orgs.js';
import { routes } from '../src/routes.js';
import { historyFrom } from '../../../shared/src/forecast/forecast.js';

/**
 * Every view's scan of the ledger is the requested range plus only what its answer needs (the
 * previous period, month or year to date), each bounded. For a January 2021 range asked in March
 * 2026 the old /summary and /saas-subscriptions read 2020-12-01 → today: five years for a month.
 */
const DAY = 86_400_000;
type Scan = { from: number; to: number; sql: string };

/** A warehouse that notes the time interval of every statement that reads the cost ledger. */
function recording(inner: Warehouse, scans: Scan[]): Warehouse {
  const note = (q: Query) => {
    const p = q.params ?? {};
    if (q.sql.includes(COST_TABLE) && p.from_utc instanceof Date && p.to_utc instanceof Date) scans.push({ from: p.from_utc.getTime(), to: p.to_utc.getTime(), sql: q.sql });
  };
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (prop !== 'query' && prop !== 'queryColumnar') return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      return (q: Query) => {
        note(q);
        return (value as (q: Query) => Promise<unknown>).call(target, q);
      };
    },
  });
}

const utc = (day: string) => Date.parse(`${day}T00:00:00Z`);
/** Local days from..to of an org in UTC as the instants a scan of them may read: a spread lookback before, nothing after. */
const span = (from: string, to: string) => ({ from: utc(from) - SPREAD_LOOKBACK_DAYS * DAY, to: utc(to) + DAY, label: `${from}..${to}` });

let scans: Scan[] = [];
let get: (path: string, method?: string) => Promise<{ status: number; body: string }>;

beforeAll(async () => {
  const clock = settableClock(Date.parse('2026-03-20T12:00:00Z'));
  const warehouse = recording(await DuckDbWarehouse.open(':memory:'), scans);
  const deps = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000' }, { clock: clock.clock, warehouse });
  await bootstrap(deps);
  const { api_key: key } = await onboard(deps, 'scan_co', { default_currency: 'USD', default_timezone: 'UTC' } as never);
  await seedCosts(deps, { orgSlug: 'scan_co', days: 10, rowsPerDay: 20, seed: 3, end: '2021-01-31' });
  const app = buildFunctionApp('costs', routes, deps);
  get = async (path, method = 'GET') => {
    const res = await app.fetch(new Request(`http://fn/api/v1/costs/scan_co${path}`, { method, headers: { 'x-api-key': key } }));
    return { status: res.status, body: await res.text() };
  };
});

const RANGE = 'start_date=2021-01-01&end_date=2021-01-31';
const range = span('2021-01-01', '2021-01-31');
const rangeExact = { from: utc('2021-01-01'), to: utc('2021-02-01'), label: 'the range' };

const cases: { path: string; allowed: { from: number; to: number; label: string; optional?: boolean }[] }[] = [
  // The period with its previous one (December), this month to date, and the month-end forecast's
  // history (a fixed window before today: training and backtest, whatever the range asked).
  { path: `/summary?${RANGE}`, allowed: [span('2020-12-01', '2021-01-31'), span('2026-03-01', '2026-03-20'), { ...span(historyFrom('2026-03-20', { start: '2026-03-01' }), '2026-03-20'), optional: true }] },
  { path: `/total?${RANGE}`, allowed: [range, span('2026-03-01', '2026-03-20')] },
  // The period and this year to date.
  { path: `/saas-subscriptions?${RANGE}`, allowed: [range, span('2026-01-01', '2026-03-20')] },
  { path: `/subscriptions?${RANGE}`, allowed: [range, span('2026-01-01', '2026-03-20')] },
  { path: `/by-provider?${RANGE}`, allowed: [range] },
  { path: `/by-service?${RANGE}`, allowed: [range] },
  { path: `/cloud?${RANGE}`, allowed: [range] },
  { path: `/llm?${RANGE}`, allowed: [range] },
  { path: `/genai?${RANGE}`, allowed: [range] },
  { path: `/trend?${RANGE}`, allowed: [range] },
  { path: `/trend?${RANGE}&granularity=monthly`, allowed: [range] },
  { path: `/trend-granular?${RANGE}`, allowed: [range] },
  { path: `/pivot?${RANGE}&rows=ServiceName&columns=month`, allowed: [range] },
  { path: `?${RANGE}&limit=5`, allowed: [rangeExact] },
  { path: `/export?${RANGE}&format=csv`, allowed: [rangeExact] },
];

describe('the interval every view sends to the warehouse for a range in 2021', () => {
  for (const c of cases) {
    it(c.path, async () => {
      // Views that share a cached answer (/subscriptions and /saas-subscriptions) each scan here.
      expect((await get('/cache/invalidate', 'POST')).status).toBe(200);
      scans.length = 0;
      const res = await get(c.path);
      expect(res.status, res.body.slice(0, 300)).toBe(200);
      expect(scans.length).toBeGreaterThan(0);
      for (const s of scans) {
        const fits = c.allowed.some((a) => s.from >= a.from && s.to <= a.to);
        expect(fits, `scan ${new Date(s.from).toISOString()} → ${new Date(s.to).toISOString()} is outside ${c.allowed.map((a) => a.label).join(' and ')}`).toBe(true);
      }
      // And each span the answer needs is read.
      for (const a of c.allowed.filter((x) => !x.optional)) expect(scans.some((s) => s.from <= a.from + SPREAD_LOOKBACK_DAYS * DAY && s.to >= a.to), `${a.label} not read`).toBe(true);
    });
  }
});
