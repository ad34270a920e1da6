// `pnpm seed:costs --org <slug> --days <n> --rows-per-day <n> [--seed <int>] [--end <YYYY-MM-DD>] [--profile standard|enterprise]`:
// writes a deterministic FOCUS 1.2 ledger (GCP hourly usage, LLM usage priced from the org's
// pricing table, one SaaS row per plan per day) into the org's cost table, in-process against the
// configured warehouse. Stop the gateway first: DuckDB has one writer. `--profile enterprise` writes a
// large billing export's shape instead (300 services, 2,000 SKUs, 40 projects, Tags, monthly rows: shared/src/costs/seed/enterprise.ts).
// Rerunnable: a run replaces what earlier seeds wrote over its range (never copies). Each run is
// marked in the org's audit log (COST_SEED_STARTED first, COST_SEED_COMPLETED last); a run that
// finds an earlier one that never completed (killed half-way) says so here, removes that run's
// partial rows, and writes the full set.
import { parseArgs } from 'node:util';
import { createDeps } from '@cloudact/shared/app/create-deps';
import { loadConfig } from '@cloudact/shared/config';
import { seedCosts } from '@cloudact/shared/costs/seed/seed';

const { values } = parseArgs({
  options: {
    org: { type: 'string' }, days: { type: 'string', default: '30' }, 'rows-per-day': { type: 'string', default: '1000' },
    seed: { type: 'string', default: '42' }, end: { type: 'string' }, profile: { type: 'string', default: 'standard' }, help: { type: 'boolean', short: 'h', default: false },
  },
});
const int = (name: string, v: string | undefined) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) { console.error(`--${name} must be a whole number`); process.exit(2); }
  return n;
};
if (values.help || !values.org) {
  console.log('usage: pnpm seed:costs --org <slug> --days <n> --rows-per-day <n> [--seed <int>] [--end <YYYY-MM-DD>] [--profile standard|enterprise]');
  process.exit(values.help ? 0 : 2);
}
if (values.end && !/^\d{4}-\d{2}-\d{2}$/.test(values.end)) { console.error('--end must be YYYY-MM-DD'); process.exit(2); }
if (values.profile !== 'standard' && values.profile !== 'enterprise') { console.error('--profile must be standard or enterprise'); process.exit(2); }
const profile: 'standard' | 'enterprise' = values.profile;

const deps = await createDeps(loadConfig(process.env));
const started = Date.now();
try {
  const r = await seedCosts(deps, { orgSlug: values.org, days: int('days', values.days), rowsPerDay: int('rows-per-day', values['rows-per-day']), seed: int('seed', values.seed), profile, ...(values.end ? { end: values.end } : {}) }, (p) => {
    process.stderr.write(`\r${p.rows.toLocaleString()} / ${p.total.toLocaleString()} rows (through ${p.day}) ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
  process.stderr.write('\n');
  for (const u of r.unfinished_runs) {
    console.error(`An earlier seed run did not finish: run ${u.run_id}, started ${u.started_at}, for ${u.from}..${u.to}; its ${u.rows_removed.toLocaleString()} partial rows were removed and this run wrote the full set.`);
  }
  console.log(JSON.stringify({ ...r, seconds: (Date.now() - started) / 1000 }));
} finally {
  await deps.warehouse.close();
}
