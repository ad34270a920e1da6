import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centralTables } from '@cloudact/shared/warehouse/schemas';
import { createCloudActClient } from '../clients/typescript/src/index.js';
import { listen } from '../shared/test/support/http.js';
import { runTs, startTs, type Started } from './support/processes.js';

/**
 * README command 1, as a user runs it: the local gateway process on a fresh data folder, with no
 * root key configured, driven over HTTP with the typed client the web app uses (a documented
 * shape that drifts from the real one breaks the build here, or the gateway's response check).
 * Then the admin's terminal path, and a restart.
 */
/** How many central tables the schema files define. */
const TABLES = centralTables().tables.length;
const dataDir = mkdtempSync(join(tmpdir(), 'ca-journey-'));
const env = { PORT: '0', DATA_DIR: dataDir, CA_ROOT_API_KEY: '', LOCAL_ENCRYPTION_KEY: '', LOG_LEVEL: 'WARNING' };
let gw: Started;
let url: string;
let rootKey: string;

beforeAll(async () => {
  const started = await startTs('scripts/local-gateway.ts', [], env, /development root key \(X-CA-Root-Key\): (\S+)/);
  gw = started;
  rootKey = started.match[1]!;
  url = /listening on (http:\/\/\S+)/.exec(started.output())![1]!;
}, 30_000);
afterAll(async () => { await gw?.stop(); });

describe('local gateway journey', () => {
  it('answers /health for the gateway and each function', async () => {
    // The gateway's own /health exists only locally (API Gateway has none), so it is not in the client.
    const health = await (await fetch(`${url}/health`)).json() as { status: string; functions: { name: string; status: string }[] };
    expect(health.status).toBe('ok');
    expect(health.functions.map((f) => f.name)).toEqual(['bootstrap', 'onboard', 'integrations', 'locale', 'subscriptions', 'costs', 'pipelines', 'hierarchy', 'budgets', 'alerts']);
    const api = createCloudActClient({ baseUrl: url });
    const probes = { bootstrap: () => api.GET('/bootstrap/health'), locale: () => api.GET('/locale/health'), costs: () => api.GET('/costs/health') };
    for (const [fn, probe] of Object.entries(probes)) {
      expect((await probe()).data).toMatchObject({ function: fn, status: 'ok' });
    }
  });

  it('bootstraps with the printed development root key: 15 created, then 15 existed', async () => {
    const api = createCloudActClient({ baseUrl: url, rootKey });
    const first = await api.POST('/api/v1/admin/bootstrap', {});
    expect(first.data!.tables_created).toHaveLength(TABLES);
    const second = await api.POST('/api/v1/admin/bootstrap', {});
    expect(second.data!.tables_existed).toHaveLength(TABLES);
  });

  it('refuses bootstrap without the key or with a wrong one, in the envelope', async () => {
    for (const rootKey of [undefined, 'wrong']) {
      const { response: res, error: body } = await createCloudActClient({ baseUrl: url, rootKey }).POST('/api/v1/admin/bootstrap', {});
      expect(res.status).toBe(401);
      expect(body!.error).toBe('UNAUTHORIZED');
      expect(body!.request_id).toBe(res.headers.get('x-request-id'));
    }
  });

  it('answers junk with envelopes, never a 5xx', async () => {
    const cases: [string, RequestInit][] = [
      ['/api/v1/admin/bootstrap', { method: 'POST', headers: { 'x-ca-root-key': rootKey, 'content-type': 'application/json' }, body: '{"force_recreate_tables":' }],
      ['/api/v1/admin/bootstrap', { method: 'POST', headers: { 'x-ca-root-key': rootKey }, body: '{"force_recreate_tables": 1}' }],
      ['/api/v1/admin/bootstrap', { method: 'POST', headers: { 'x-ca-root-key': rootKey }, body: '\u0000\u0001binary' }],
      ['/api/v1/admin/bootstrap', { method: 'PUT' }],
      ['/%E0%A4%A', {}],
      ['/api/v1/../../etc/passwd', {}],
    ];
    for (const [path, init] of cases) {
      const res = await fetch(url + path, init);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
      expect(await res.json(), path).toHaveProperty('request_id');
    }
  });

  it('sends the identity token and root key the deployed function needs', async () => {
    // A local stand-in for the IAM-protected function URL, recording what the CLI sends.
    const seen: IncomingHttpHeaders[] = [];
    const fake = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"SUCCESS"}');
    });
    const { url: fnUrl, close } = await listen(fake);
    const res = await runTs('scripts/bootstrap-cli.ts', ['--url', `${fnUrl}/`, '--identity-token', 'id-token-123', '--sync-schema'], { CA_ROOT_API_KEY: 'root-key-abc' });
    await close();
    expect(res.code).toBe(0);
    expect(seen[0]).toMatchObject({ authorization: 'Bearer id-token-123', 'x-ca-root-key': 'root-key-abc' });
  });

  it('lets an admin bootstrap through the gateway URL with the CLI', async () => {
    const res = await runTs('scripts/bootstrap-cli.ts', ['--url', url, '--identity-token', 'fake-identity-token'], { CA_ROOT_API_KEY: rootKey });
    expect(res.code).toBe(0);
    expect((JSON.parse(res.stdout) as { tables_existed: string[] }).tables_existed).toHaveLength(TABLES);
    const denied = await runTs('scripts/bootstrap-cli.ts', ['--url', url], { CA_ROOT_API_KEY: 'wrong' });
    expect(denied.code).toBe(1);
    expect(denied.stdout).toMatch(/UNAUTHORIZED/);
  });

  it('keeps its data across a restart, and the in-process CLI sees it once the gateway is stopped', async () => {
    expect(await gw.stop()).toBe(0);
    const res = await runTs('scripts/bootstrap-cli.ts', [], { DATA_DIR: dataDir, CA_ROOT_API_KEY: '', LOG_LEVEL: 'WARNING' });
    expect(res.code, res.stderr).toBe(0);
    expect((JSON.parse(res.stdout) as { tables_existed: string[]; dataset_created: boolean }).tables_existed).toHaveLength(TABLES);
  });
});
