import type { BigQuery } from '@google-cloud/bigquery';
import type { Storage } from '@google-cloud/storage';
import { bqParamType, bqParamValue, inferParamType, type BqParamType } from '../../warehouse/bigquery-types.js';
import type { ParamType } from '../../warehouse/port.js';
import type { CostExporter, ExportJob, ExportMeta, ExportRef, ExportState, JobFormat } from '../../context/exports.js';

const BQ_FORMAT: Record<JobFormat, 'CSV' | 'PARQUET'> = { csv: 'CSV', focus: 'CSV', parquet: 'PARQUET' };
const EXTENSION: Record<JobFormat, string> = { csv: 'csv', focus: 'csv', parquet: 'parquet' };
const META_FILE = 'export.json';

/** The BigQuery job of an export: named after it, so a retried start cannot run it twice (409). */
export function exportJobId(ref: ExportRef): string {
  return `cloudact_export_${ref.orgId.replace(/[^A-Za-z0-9_-]/g, '_')}_${ref.exportId}`;
}

/**
 * The statement the job runs: EXPORT DATA of the job's SELECT into sharded files under the
 * export's prefix (BigQuery writes one file per GiB or per worker; the status lists them all).
 */
export function exportDataSql(bucket: string, ref: ExportRef, format: JobFormat, select: string): string {
  const uri = `gs://${bucket}/${ref.orgId}/${ref.exportId}/costs-*.${EXTENSION[format]}`;
  const options = [`uri = '${uri}'`, `format = '${BQ_FORMAT[format]}'`, 'overwrite = true', ...(BQ_FORMAT[format] === 'CSV' ? ['header = true'] : ["compression = 'ZSTD'"])];
  return `EXPORT DATA OPTIONS (${options.join(', ')}) AS ${select}`;
}

/**
 * Export jobs on the real cloud: BigQuery writes the files (EXPORT DATA, a job that runs on
 * after the request has answered: nothing runs in the function once it has), Cloud Storage holds
 * them under `<org id>/<export id>/` with the request beside them (`export.json`), and downloads
 * are V4 signed URLs (the function's service account signs through IAM signBlob:
 * roles/iam.serviceAccountTokenCreator on itself). The bucket's lifecycle rule deletes exports
 * after a day (infra/deploy/deploy.sh). Needs roles/storage.objectAdmin on the bucket.
 */
export class GcsExports implements CostExporter {
  readonly kind = 'gcs' as const;

  constructor(private readonly bq: BigQuery, private readonly storage: Storage, private readonly bucket: string, private readonly location: string) {}

  private file(ref: ExportRef, name: string) {
    return this.storage.bucket(this.bucket).file(`${ref.orgId}/${ref.exportId}/${name}`);
  }

  async begin(job: ExportJob): Promise<void> {
    await this.file(job.ref, META_FILE).save(JSON.stringify(job.meta), { contentType: 'application/json', resumable: false });
    const params: Record<string, unknown> = {};
    const types: Record<string, BqParamType> = {};
    for (const [name, value] of Object.entries(job.query.params ?? {})) {
      const type: ParamType = job.query.types?.[name] ?? inferParamType(value);
      types[name] = bqParamType(type);
      params[name] = bqParamValue(value, type);
    }
    try {
      // The same request shape the warehouse adapter sends (bigquery.ts `request`); the library's types are narrower than what it accepts.
      const request = {
        query: exportDataSql(this.bucket, job.ref, job.meta.format, job.query.sql), params, types, location: this.location,
        jobId: exportJobId(job.ref), labels: { cloudact_export: 'true' },
      };
      await this.bq.createQueryJob(request as Parameters<BigQuery['createQueryJob']>[0]);
    } catch (err) {
      // The same job id twice: it already runs (a retried start), which is what was asked.
      if ((err as { code?: number }).code !== 409) throw err;
    }
  }

  async state(ref: ExportRef): Promise<ExportState | null> {
    let meta: ExportMeta;
    try {
      const [bytes] = await this.file(ref, META_FILE).download();
      meta = JSON.parse(bytes.toString('utf8')) as ExportMeta;
    } catch (err) {
      if ((err as { code?: number }).code === 404) return null;
      throw err;
    }
    const [job] = await this.bq.job(exportJobId(ref), { location: this.location }).getMetadata();
    const status = (job as { status?: { state?: string; errorResult?: { message?: string } }; statistics?: { endTime?: string } }).status;
    const endTime = (job as { statistics?: { endTime?: string } }).statistics?.endTime;
    const finished = endTime ? new Date(Number(endTime)).toISOString() : null;
    if (status?.state !== 'DONE') return { status: 'RUNNING', meta, files: [], error: null, finished_at: null };
    if (status.errorResult) return { status: 'FAILED', meta, files: [], error: status.errorResult.message ?? 'BigQuery export failed', finished_at: finished };
    const [files] = await this.storage.bucket(this.bucket).getFiles({ prefix: `${ref.orgId}/${ref.exportId}/costs-` });
    return {
      status: 'DONE', meta, error: null, finished_at: finished,
      files: files.map((f) => ({ name: f.name.slice(f.name.lastIndexOf('/') + 1), bytes: f.metadata.size === undefined ? null : Number(f.metadata.size) })).sort((a, b) => (a.name < b.name ? -1 : 1)),
    };
  }

  async downloadUrl(ref: ExportRef, file: string, expiresAt: Date): Promise<string> {
    const [url] = await this.file(ref, file).getSignedUrl({ version: 'v4', action: 'read', expires: expiresAt });
    return url;
  }
}
