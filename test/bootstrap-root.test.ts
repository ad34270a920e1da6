import type { Server } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalGateway } from '@cloudact/shared/gateway/local-gateway';
import { gatewaySpec } from '@cloudact/shared/http/gateway-spec';
import { invokerName } from '../functions/bootstrap/src/invoker-root.js';
import { functionTables } from '../scripts/function-tables.js';
import { listen, type Envelope } from '../shared/test/support/http.js';
import { testDeps, TEST_ENCRYPTION_KEY, TEST_ROOT_KEY } from '../shared/test/support/deps.js';
import { ROOT } from './support/processes.js';

/**
 * `gcloud functions call cloudact-bootstrap --gen2 --region=R --data '{}'`: what gcloud sends is
 * a POST to the function's root, `Content-Type: application/json`, the caller's identity token
 * in `Authorization`, and no header of ours. Cloud Run's invoker IAM has let the caller in; the
 * function then runs a non-destructive bootstrap. Served here by the deployed entry point under
 * the real functions-framework.
 */
let base: string;
let close: () => Promise<void>;

// An identity token as Cloud Run passes it on (its signature was checked by Cloud Run, not here).
const claims = Buffer.from(JSON.stringify({ iss: 'https://accounts.google.com', email: 'admin@example.com', aud: 'https://cloudact-bootstrap' })).toString('base64url');
const identityToken = `eyJhbGciOiJSUzI1NiJ9.${claims}.c2lnbmF0dXJl`;
const gcloud = { 'content-type': 'application/json', authorization: `Bearer ${identityToken}`, 'user-agent': 'google-cloud-sdk gcloud/500.0.0' };

const call = (body: unknown, headers: Record<string, string> = gcloud) =>
  fetch(`${base}/`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers });

beforeAll(async () => {
  Object.assign(process.env, { CA_ROOT_API_KEY: TEST_ROOT_KEY, LOCAL_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, DUCKDB_PATH: ':memory:', LOG_LEVEL: 'ERROR' });
  await import('../functions/bootstrap/src/index.js');
  // The framework the entry point registered with: the bootstrap package's own copy.
  const testing = join(ROOT, 'functions/bootstrap/node_modules/@google-cloud/functions-framework/build/src/testing.js');
  const { getTestServer } = await import(pathToFileURL(testing).href) as { getTestServer(name: string): Server };
  ({ url: base, close } = await listen(getTestServer('bootstrap')));
});
afterAll(async () => close?.());

type Result = { status: string; total_tables: number; tables_created: string[]; tables_existed: string[]; tables_recreated: string[] };

describe('POST / on the bootstrap function (gcloud functions call)', () => {
  it('runs a bootstrap with no key of ours, then again finds every table', async () => {
    const first = await call({});
    expect(first.status).toBe(200);
    const a = await first.json() as Result;
    expect(a.status).toBe('SUCCESS');
    expect(a.total_tables).toBeGreaterThanOrEqual(16);
    expect(a.tables_created).toHaveLength(a.total_tables);
    const second = await (await call('')).json() as Result;
    expect(second.tables_created).toEqual([]);
    expect(second.tables_existed).toHaveLength(a.total_tables);
  });

  it('takes sync_schema (non-destructive)', async () => {
    const res = await call({ sync_schema: true });
    expect(res.status).toBe(200);
    expect((await res.json() as Result).tables_recreated).toEqual([]);
  });

  it('refuses a destructive option without the root key, and without confirm even with it', async () => {
    const noKey = await call({ force_recreate_tables: true, confirm: 'organizations' });
    expect(noKey.status).toBe(401);
    expect((await noKey.json() as Envelope).error).toBe('UNAUTHORIZED');
    const wrongKey = await call({ force_recreate_dataset: true, confirm: 'organizations' }, { ...gcloud, 'x-ca-root-key': 'not-the-key' });
    expect(wrongKey.status).toBe(401);
    const noConfirm = await call({ force_recreate_tables: true }, { ...gcloud, 'x-ca-root-key': TEST_ROOT_KEY });
    expect(noConfirm.status).toBe(400);
    expect((await noConfirm.json() as Envelope).message).toMatch(/"confirm": "organizations"/);
  });

  it('runs a destructive bootstrap with the root key and confirm', async () => {
    const res = await call({ force_recreate_tables: true, confirm: 'organizations' }, { ...gcloud, 'x-ca-root-key': TEST_ROOT_KEY });
    expect(res.status).toBe(200);
    const body = await res.json() as Result;
    expect(body.tables_recreated).toHaveLength(body.total_tables);
  });

  it('answers unknown fields and malformed JSON with the 422 envelope', async () => {
    const unknown = await call({ drop_everything: true });
    expect(unknown.status).toBe(422);
    expect(Object.keys((await unknown.json() as Envelope).details?.fields ?? {})).toEqual(['body.drop_everything']);
    expect((await call('{"sync_schema": tru')).status).toBe(422);
  });

  it('serves nothing else at the root, and leaves the root out of the function\'s document', async () => {
    expect((await fetch(`${base}/`)).status).toBe(405);
    const doc = await (await fetch(`${base}/openapi.json`)).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).not.toContain('/');
    expect(Object.keys(doc.paths)).toContain('/api/v1/admin/bootstrap');
  });

  it('names the caller from the identity token for the audit row', () => {
    expect(invokerName(`Bearer ${identityToken}`)).toBe('iam-invoker:admin@example.com');
    expect(invokerName(null)).toBe('iam-invoker');
    expect(invokerName('Bearer not-a-jwt')).toBe('iam-invoker');
  });
});

describe('no gateway routes to the bootstrap function\'s root', () => {
  it('the local gateway answers POST / with its own 404', async () => {
    const deps = await testDeps();
    const res = await createLocalGateway(functionTables, deps).fetch(new Request('http://gw/', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }));
    expect(res.status).toBe(404);
  });

  it('the API Gateway spec has no operation at /', () => {
    const spec = gatewaySpec(functionTables, '0.0.0') as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).not.toContain('/');
  });
});
