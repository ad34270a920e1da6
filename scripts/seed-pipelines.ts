// `pnpm seed:pipelines --org <slug> --days <n> [--seed <int>]`: writes pipeline runs, step logs
// (a RUNNING row, then the final row, as the pipeline service appends them) and data-quality
// results for the org's last n local days into the central tables, in-process against the
// configured warehouse, so the web app's pipeline pages and /api/v1/pipelines/... have data on
// the embedded warehouse. Stop the gateway first: DuckDB has one writer. Rerunnable: a run
// replaces the seeded rows of its range (ids start with seed-), never copies.
import { parseArgs } from 'node:util';
import { createDeps } from '@cloudact/shared/app/create-deps';
import { loadConfig } from '@cloudact/shared/config';
import { seedPipelineRuns } from '@cloudact/shared/pipelines/seed/seed';

const { values } = parseArgs({
  options: { org: { type: 'string' }, days: { type: 'string', default: '14' }, seed: { type: 'string', default: '42' }, help: { type: 'boolean', short: 'h', default: false } },
});
if (values.help || !values.org) {
  console.log('usage: pnpm seed:pipelines --org <slug> --days <n> [--seed <int>]');
  process.exit(values.help ? 0 : 2);
}
const days = Number(values.days);
const seed = Number(values.seed);
if (!Number.isInteger(days) || days < 1 || days > 366) { console.error('--days must be a whole number from 1 to 366'); process.exit(2); }
if (!Number.isInteger(seed)) { console.error('--seed must be a whole number'); process.exit(2); }

const deps = await createDeps(loadConfig(process.env));
try {
  const r = await seedPipelineRuns({ ...deps, actor: { kind: 'system', name: 'seed:pipelines' } }, { orgSlug: values.org, days, seed });
  console.log(JSON.stringify(r));
} finally {
  await deps.warehouse.close();
}
