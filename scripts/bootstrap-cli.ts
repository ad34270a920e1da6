// `pnpm bootstrap [options]`: run the bootstrap as an admin from a terminal.
//   in-process against the configured warehouse (default: the local DuckDB file), or
//   --url <gateway or function URL> over HTTP, e.g. the deployed function with an identity token:
//   pnpm bootstrap --url "$FUNCTION_URL" --identity-token "$(gcloud auth print-identity-token)"
// The root key comes from CA_ROOT_API_KEY (or the development key in the data folder).
import { parseArgs } from 'node:util';
import { createDeps } from '@cloudact/shared/app/create-deps';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { loadConfig } from '@cloudact/shared/config';
import { routes } from '../functions/bootstrap/src/routes.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    'identity-token': { type: 'string' },
    'force-recreate-tables': { type: 'boolean', default: false },
    'force-recreate-dataset': { type: 'boolean', default: false },
    'sync-schema': { type: 'boolean', default: false },
    confirm: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log('usage: pnpm bootstrap [--url URL [--identity-token TOKEN]] [--force-recreate-tables] [--force-recreate-dataset] [--sync-schema] [--confirm organizations]');
  process.exit(0);
}

const body = JSON.stringify({
  ...(values['force-recreate-tables'] ? { force_recreate_tables: true } : {}),
  ...(values['force-recreate-dataset'] ? { force_recreate_dataset: true } : {}),
  ...(values['sync-schema'] ? { sync_schema: true } : {}),
  ...(values.confirm ? { confirm: values.confirm } : {}),
});
const path = '/api/v1/admin/bootstrap';

let response: Response;
if (values.url) {
  const rootKey = process.env.CA_ROOT_API_KEY;
  if (!rootKey) {
    console.error('Set CA_ROOT_API_KEY to the deployment\'s root key.');
    process.exit(2);
  }
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-ca-root-key': rootKey };
  // Cloud Functions (2nd gen) behind IAM want a Google identity token whose audience is the URL.
  if (values['identity-token']) headers.authorization = `Bearer ${values['identity-token']}`;
  response = await fetch(new URL(path, values.url.endsWith('/') ? values.url : values.url + '/'), { method: 'POST', headers, body });
} else {
  const config = loadConfig(process.env);
  let deps;
  try {
    deps = await createDeps(config);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    if (/lock/i.test(msg)) console.error(`The warehouse file is in use (is the local gateway running?). Use --url http://localhost:${config.port}\n${msg}`);
    else console.error(msg);
    process.exit(1);
  }
  const app = buildFunctionApp('bootstrap', routes, deps);
  response = await app.fetch(new Request(`http://cli${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-ca-root-key': deps.rootKey ?? '' }, body }));
  await deps.warehouse.close();
}

const text = await response.text();
console.log(text);
process.exit(response.ok ? 0 : 1);
