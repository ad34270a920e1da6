import type { KeyUsageEvent, KeyUsageSink } from '../../context/index.js';
import type { Logger } from '../../logger.js';
import { insertRows } from '../../warehouse/dml.js';
import type { Warehouse } from '../../warehouse/port.js';
import { keyUsageTables } from '../../warehouse/schemas.js';

/**
 * The local stand-in for the production key-usage path. In production nothing here runs: each
 * request's log line carries `org_api_key_id`, and a Cloud Logging sink (infra/deploy/deploy.sh)
 * appends it to the usage table, with no warehouse job per request and nothing lost when the
 * platform stops an instance. Locally the gateway appends rows of the same shape itself, in
 * small batches, so `last_used_at` (MAX over the table) works the same way.
 */
const MAX_BATCH = 500;

export class LocalKeyUsageAppender implements KeyUsageSink {
  private buffer: KeyUsageEvent[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly set = keyUsageTables();

  private constructor(private readonly wh: Warehouse, private readonly logger: Logger, flushMs: number) {
    this.timer = setInterval(() => void this.flush(), flushMs);
    this.timer.unref();
  }

  // Small and often: one insert of a second's requests under load (~4,000 rows) held the
  // gateway's event loop ~140 ms once a second (bench:locale's gateway p99); a tenth of a second
  // of them, in statements of at most MAX_BATCH rows, does not.
  static async start(wh: Warehouse, logger: Logger, flushMs = 100): Promise<LocalKeyUsageAppender> {
    const set = keyUsageTables();
    await wh.createDataset(set.dataset!);
    await Promise.all(set.tables.map((t) => wh.createTable(set.dataset!, t)));
    return new LocalKeyUsageAppender(wh, logger, flushMs);
  }

  record(event: KeyUsageEvent): void {
    this.buffer.push(event);
  }

  async flush(): Promise<number> {
    if (!this.buffer.length) return 0;
    const batch = this.buffer.splice(0, MAX_BATCH);
    try {
      return await insertRows(this.wh, this.set.dataset!, this.set.tables[0]!, batch.map((e) => ({
        timestamp: e.at,
        jsonPayload: { org_api_key_id: e.keyId, org_slug: e.orgSlug, request_id: e.requestId },
      })));
    } catch (err) {
      this.logger.log('WARNING', 'local key-usage rows not written', { error: err });
      return 0;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    while (this.buffer.length) await this.flush();
  }
}
