// `pnpm alerts:run [--org <slug>] [--types budget_percent,pipeline] [--dry-run] [--no-send]`: one
// alert evaluation run, in-process against the configured warehouse, as
// POST /api/v1/admin/alerts/process-all does (the Cloud Scheduler job deploy.sh creates calls that
// route hourly). Stop the gateway first when it uses the embedded DuckDB file: DuckDB has one writer.
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { createDeps } from '@cloudact/shared/app/create-deps';
import { loadConfig } from '@cloudact/shared/config';
import { processAll } from '@cloudact/shared/alerts/evaluate/process-all';

const { values } = parseArgs({
  options: { org: { type: 'string' }, types: { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, 'no-send': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
});
if (values.help) {
  console.log('usage: pnpm alerts:run [--org <slug>] [--types <rule types or categories, comma-separated>] [--dry-run] [--no-send]');
  process.exit(0);
}

const deps = await createDeps(loadConfig(process.env));
try {
  const r = await processAll({ ...deps, actor: { kind: 'system', name: 'alerts:run' }, requestId: `alerts-run-${randomUUID()}` }, {
    ...(values.org ? { org_slug: values.org } : {}),
    alert_types: (values.types ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    send_notifications: !values['no-send'],
    dry_run: values['dry-run'],
  });
  console.log(JSON.stringify(r, null, 2));
  process.exitCode = r.success ? 0 : 1;
} finally {
  await deps.warehouse.close();
}
