import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { listen, type Envelope } from '../../../shared/test/support/http.js';
import { centralTables } from '@cloudact/shared/warehouse/schemas';
import { TEST_ENCRYPTION_KEY, TEST_ROOT_KEY } from '../../../shared/test/support/deps.js';

/** How many central tables the schema files define (other tables may be added beside these). */
const TABLES = centralTables().tables.length;

// The deployed entry point, served by the real functions-framework (Express, body parsers and all).
let base: string;
let close: () => Promise<void>;

beforeAll(async () => {
  Object.assign(process.env, { CA_ROOT_API_KEY: TEST_ROOT_KEY, LOCAL_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, DUCKDB_PATH: ':memory:', LOG_LEVEL: 'ERROR' });
  await import('../src/index.js');
  ({ url: base, close } = await listen(getTestServer('bootstrap')));
});
afterAll(async () => close?.());

const post = (body: string | undefined, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/v1/admin/bootstrap`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
const asRoot = { 'x-ca-root-key': TEST_ROOT_KEY };

describe('POST /api/v1/admin/bootstrap through functions-framework', () => {
  it('refuses a missing or wrong root key with a 401 envelope carrying the request id', async () => {
    for (const headers of [{}, { 'x-ca-root-key': 'nope' }] as Record<string, string>[]) {
      const res = await post('{}', { ...headers, 'x-request-id': 'rid-401' });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: 'UNAUTHORIZED', request_id: res.headers.get('x-request-id') });
    }
  });

  it('creates the dataset and every central table, then reports all of them as existing', async () => {
    const first = await post('{}', asRoot);
    expect(first.status).toBe(200);
    const a = await first.json() as { status: string; dataset_created: boolean; total_tables: number; tables_created: string[]; tables_existed: string[] };
    expect(a).toMatchObject({ status: 'SUCCESS', dataset_created: true, total_tables: TABLES, tables_existed: [] });
    expect(a.tables_created).toHaveLength(TABLES);

    const second = await (await post(undefined, asRoot)).json() as typeof a;
    expect(second).toMatchObject({ dataset_created: false, tables_created: [] });
    expect(second.tables_existed).toHaveLength(TABLES);
  });

  it('answers malformed JSON with the 422 envelope, not the framework\'s HTML 400', async () => {
    const res = await post('{"force_recreate_tables": tru', asRoot);
    expect(res.status).toBe(422);
    const body = await res.json() as Envelope;
    expect(body.error).toBe('VALIDATION_ERROR');
    expect(body.details?.fields?.body?.[0]).toMatch(/Malformed JSON/);
  });

  it('answers wrong types and unknown fields with 422 naming each', async () => {
    const res = await post(JSON.stringify({ force_recreate_tables: 'yes', drop_everything: true }), asRoot);
    expect(res.status).toBe(422);
    expect(Object.keys((await res.json() as Envelope).details?.fields ?? {}).sort()).toEqual(['body.drop_everything', 'body.force_recreate_tables']);
  });

  it('answers a body in another content type with an envelope too', async () => {
    const form = await fetch(`${base}/api/v1/admin/bootstrap`, { method: 'POST', body: 'a=1&b=2', headers: { ...asRoot, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(422);
    const badCharset = await fetch(`${base}/api/v1/admin/bootstrap`, { method: 'POST', body: '{}', headers: { ...asRoot, 'content-type': 'application/json; charset=klingon' } });
    // The framework's raw parser still hands over the bytes, which are valid JSON: no HTML, no 5xx.
    expect(badCharset.status).toBe(200);
    expect(badCharset.headers.get('content-type')).toMatch(/application\/json/);
  });

  it('serves health and its OpenAPI document', async () => {
    expect(await (await fetch(`${base}/health`)).json()).toMatchObject({ function: 'bootstrap', status: 'ok', warehouse: { kind: 'duckdb' } });
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
    const doc = await (await fetch(`${base}/openapi.json`)).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain('/api/v1/admin/bootstrap');
  });
});
