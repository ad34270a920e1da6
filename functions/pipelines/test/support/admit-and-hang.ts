// A pipeline-service stand-in that dies mid-run: validates one run on the warehouse file
// DUCKDB_PATH with the org key ORG_KEY, prints the reservation, then waits to be killed (the
// SIGKILL test never lets it complete).
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { createDeps } from '@cloudact/shared/app/create-deps';
import { loadConfig } from '@cloudact/shared/config';
import { routes } from '../../src/routes.js';

const deps = await createDeps(loadConfig(process.env));
const app = buildFunctionApp('pipelines', routes, deps);
const res = await app.fetch(new Request(`http://fn/api/v1/validator/validate/${process.env.ORG_SLUG}`, {
  method: 'POST', headers: { 'x-api-key': process.env.ORG_KEY!, 'content-type': 'application/json' }, body: JSON.stringify({ pipeline_id: 'saas_subscription_saas_cost' }),
}));
const body = (await res.json()) as { valid?: boolean; reservation_id?: string; lease_expires_at?: string };
console.log(`RESERVED ${res.status} ${body.valid} ${body.reservation_id} ${body.lease_expires_at}`);
setInterval(() => undefined, 60_000);
