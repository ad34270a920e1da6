import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeWebReadable } from 'node:stream/web';
import type { CostExporter, ExportJob, ExportRef, ExportState, JobFormat } from '../../context/exports.js';

const EXTENSION: Record<JobFormat, string> = { csv: 'csv', focus: 'csv', parquet: 'parquet' };
const CONTENT_TYPE: Record<JobFormat, string> = { csv: 'text/csv; charset=utf-8', focus: 'text/csv; charset=utf-8', parquet: 'application/vnd.apache.parquet' };

/** An id as a path segment: what randomUUID and org ids are made of, nothing that climbs out. */
const SAFE = /^[A-Za-z0-9_-]{1,80}$/;

export interface LocalDownload { body: ReadableStream<Uint8Array>; filename: string; contentType: string; bytes: number }

/**
 * Export jobs on this machine: the job runs in this process after the answer (the local gateway
 * is a long-lived process; a Cloud Function is not, which is why production uses gcs.ts), writing
 * `<dir>/<org id>/<export id>/<file>.part` and renaming it when complete, with `job.json` beside it
 * (RUNNING, then DONE or FAILED). A job this process did not start and that never finished
 * (the gateway was stopped) reads as FAILED. Download URLs are signed with a key of this process
 * (HMAC-SHA256 over org, export, file and expiry), so they die with it or at their expiry.
 */
export class LocalExports implements CostExporter {
  readonly kind = 'local' as const;
  private readonly running = new Set<string>();
  private readonly key = randomBytes(32);

  constructor(private readonly dir: string, private readonly clock: () => Date) {}

  private jobDir(ref: ExportRef): string {
    if (!SAFE.test(ref.orgId) || !SAFE.test(ref.exportId)) throw new Error('Unsafe export path');
    return join(this.dir, ref.orgId, ref.exportId);
  }

  async begin(job: ExportJob): Promise<void> {
    const dir = this.jobDir(job.ref);
    await mkdir(dir, { recursive: true });
    const file = `costs.${EXTENSION[job.meta.format]}`;
    // Written aside and renamed: a status read never sees a half-written file.
    const record = async (s: Omit<ExportState, 'meta'>) => {
      await writeFile(join(dir, 'job.json.tmp'), JSON.stringify({ ...s, meta: job.meta }));
      await rename(join(dir, 'job.json.tmp'), join(dir, 'job.json'));
    };
    await record({ status: 'RUNNING', files: [], error: null, finished_at: null });
    const key = `${job.ref.orgId}/${job.ref.exportId}`;
    this.running.add(key);
    const run = async () => {
      const body = await job.open();
      await pipeline(Readable.fromWeb(body as unknown as NodeWebReadable<Uint8Array>), createWriteStream(join(dir, `${file}.part`)) as Writable);
      await rename(join(dir, `${file}.part`), join(dir, file));
      const { size } = await stat(join(dir, file));
      await record({ status: 'DONE', files: [{ name: file, bytes: size }], error: null, finished_at: this.clock().toISOString() });
    };
    // After the answer, on purpose (see the class comment); a failure is the job's state, never an unhandled rejection.
    void run()
      .catch((err: unknown) => record({ status: 'FAILED', files: [], error: err instanceof Error ? err.message : String(err), finished_at: this.clock().toISOString() }))
      .catch(() => undefined)
      .finally(() => this.running.delete(key));
  }

  async state(ref: ExportRef): Promise<ExportState | null> {
    // Asked before the read: a job ends by writing its record and only then leaving the set, so
    // a record still RUNNING of a job not in the set was read after that check only if it is dead.
    const live = this.running.has(`${ref.orgId}/${ref.exportId}`);
    let text: string;
    try {
      text = await readFile(join(this.jobDir(ref), 'job.json'), 'utf8');
    } catch {
      return null;
    }
    const s = JSON.parse(text) as ExportState;
    if (s.status === 'RUNNING' && !live) {
      return { ...s, status: 'FAILED', error: 'The process running this export stopped before it finished; start it again' };
    }
    return s;
  }

  async downloadUrl(ref: ExportRef, file: string, expiresAt: Date): Promise<string> {
    const expires = Math.floor(expiresAt.getTime() / 1000);
    const token = `${Buffer.from(JSON.stringify([ref.orgId, ref.exportId, file, expires])).toString('base64url')}.${this.sign(ref, file, expires)}`;
    return `/api/v1/costs/${ref.orgSlug}/exports/${ref.exportId}/download?token=${token}`;
  }

  /** The file a download token names, or null when the token is forged, for another export, or expired. */
  async open(orgSlug: string, exportId: string, token: string): Promise<LocalDownload | null> {
    const [payload, signature] = token.split('.');
    if (!payload || !signature) return null;
    let parts: unknown;
    try {
      parts = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    if (!Array.isArray(parts) || parts.length !== 4) return null;
    const [orgId, id, file, expires] = parts as unknown[];
    if (typeof orgId !== 'string' || id !== exportId || typeof file !== 'string' || typeof expires !== 'number') return null;
    const ref = { orgId, orgSlug, exportId };
    const expected = Buffer.from(this.sign(ref, file, expires));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    if (expires * 1000 <= this.clock().getTime()) return null;
    const s = await this.state(ref);
    const entry = s?.status === 'DONE' ? s.files.find((f) => f.name === file) : undefined;
    if (!s || !entry) return null;
    const path = join(this.jobDir(ref), entry.name);
    const { size } = await stat(path);
    return { body: Readable.toWeb(createReadStream(path)) as unknown as ReadableStream<Uint8Array>, filename: `${s.meta.format === 'focus' ? 'focus-1.2' : 'costs'}_${orgSlug}_${s.meta.start_date}_${s.meta.end_date}.${EXTENSION[s.meta.format]}`, contentType: CONTENT_TYPE[s.meta.format], bytes: size };
  }

  private sign(ref: Pick<ExportRef, 'orgId' | 'exportId'>, file: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${ref.orgId}\n${ref.exportId}\n${file}\n${expires}`).digest('base64url');
  }
}
