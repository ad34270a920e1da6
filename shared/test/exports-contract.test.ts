import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CostExporter, ExportJob, ExportMeta } from '../src/context/exports.js';
import { LocalExports } from '../src/costs/exports/local.js';

/**
 * The export-job port's contract, for every adapter that can run here: a job starts without
 * waiting, ends DONE with its files, each downloadable by its URL without a key; an export never
 * started is null. The Cloud Storage adapter runs with BIGQUERY_TEST_PROJECT, EXPORT_TEST_BUCKET
 * and Google credentials, and is reported skipped without them.
 */
const dir = mkdtempSync(join(tmpdir(), 'ca-exports-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const project = process.env.BIGQUERY_TEST_PROJECT;
const bucket = process.env.EXPORT_TEST_BUCKET;
const hasGoogleCreds = Boolean(process.env.GOOGLE_APPLICATION_CREDENTIALS || process.env.CLOUDSDK_CONFIG || process.env.GOOGLE_CLOUD_PROJECT);

interface Adapter { name: string; enabled: boolean; open(): Promise<{ exporter: CostExporter; fetchUrl(url: string): Promise<Response> }> }

const local = new LocalExports(dir, () => new Date());
const adapters: Adapter[] = [
  {
    name: 'local (data directory, HMAC-signed URL)', enabled: true,
    open: async () => ({
      exporter: local,
      // The local URL is served by the costs function's download route; here its verb's part is called directly.
      fetchUrl: async (url) => {
        const u = new URL(url, 'http://local');
        const [, , , , org, , id] = u.pathname.split('/');
        const file = await local.open(org!, id!, u.searchParams.get('token') ?? '');
        return file ? new Response(file.body, { status: 200 }) : new Response(null, { status: 403 });
      },
    }),
  },
  {
    name: 'Cloud Storage (BigQuery EXPORT DATA, V4 signed URL)', enabled: Boolean(project && bucket && hasGoogleCreds),
    open: async () => {
      const [{ BigQuery }, { Storage }, { GcsExports }] = await Promise.all([import('@google-cloud/bigquery'), import('@google-cloud/storage'), import('../src/costs/exports/gcs.js')]);
      const location = process.env.BQ_LOCATION ?? 'US';
      return { exporter: new GcsExports(new BigQuery({ projectId: project, location }), new Storage({ projectId: project }), bucket!, location), fetchUrl: (url) => fetch(url) };
    },
  },
];

function job(orgId: string): ExportJob {
  const meta: ExportMeta = { format: 'csv', start_date: '2026-03-01', end_date: '2026-03-01', timezone: 'UTC', columns: ['n'], filters: {}, rows: 2, created_at: new Date().toISOString(), created_by: null };
  return {
    ref: { orgId, orgSlug: 'contract_co', exportId: randomUUID() },
    meta,
    query: { sql: 'SELECT 1 AS n UNION ALL SELECT 2 AS n' },
    open: async () => new ReadableStream<Uint8Array>({ start(c) { c.enqueue(Buffer.from('n\n1\n2\n')); c.close(); } }),
  };
}

for (const adapter of adapters) {
  describe.skipIf(!adapter.enabled)(`export jobs contract: ${adapter.name}`, () => {
    it('starts without waiting, ends DONE, and each file downloads by its URL with the rows', async () => {
      const { exporter, fetchUrl } = await adapter.open();
      const j = job(`contract-${randomUUID().slice(0, 8)}`);
      await exporter.begin(j);
      let state = await exporter.state(j.ref);
      for (let i = 0; i < 600 && state?.status === 'RUNNING'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        state = await exporter.state(j.ref);
      }
      expect(state?.status, state?.error ?? '').toBe('DONE');
      expect(state!.meta).toEqual(j.meta);
      const text = (await Promise.all(state!.files.map(async (f) => {
        const res = await fetchUrl(await exporter.downloadUrl(j.ref, f.name, new Date(Date.now() + 600_000)));
        expect(res.status).toBe(200);
        return res.text();
      }))).join('');
      expect(text.split('\n').filter((l) => l && l !== 'n').sort()).toEqual(['1', '2']);
    }, 120_000);

    it('an export never started, or started by another org (its id), is null', async () => {
      const { exporter } = await adapter.open();
      const j = job('contract-org-a');
      expect(await exporter.state(j.ref)).toBeNull();
      await exporter.begin(j);
      expect(await exporter.state({ ...j.ref, orgId: 'contract-org-b' })).toBeNull();
    }, 60_000);
  });
}
