import type { Warehouse } from '../warehouse/port.js';
import type { TableSet } from '../warehouse/schemas.js';

export interface Readiness {
  ready: boolean;
  /** Why not, for the log and the operator (never the infrastructure's own error text). */
  reason?: string;
  missing_tables?: string[];
  checked_at: string;
}

/**
 * Ready means the central tables exist, not merely that the warehouse answers: a database that
 * was never bootstrapped (or was wiped) answers every query with an error. The check is one
 * warehouse job, so its answer is kept for `ttlMs` (≥ 10 s): a public probe hit in a loop must
 * not become a loop of billed jobs. Concurrent probes share one check.
 */
export class ReadinessProbe {
  private last?: { value: Readiness; until: number };
  private running?: Promise<Readiness>;

  constructor(private readonly wh: Warehouse, private readonly central: () => TableSet, private readonly clock: () => Date, private readonly ttlMs: number) {}

  /** The last answer, if any, without running a check. */
  known(): Readiness | undefined {
    return this.last?.value;
  }

  check(): Promise<Readiness> {
    const now = this.clock().getTime();
    if (this.last && this.last.until > now) return Promise.resolve(this.last.value);
    this.running ??= this.run().then((value) => {
      this.last = { value, until: this.clock().getTime() + this.ttlMs };
      return value;
    }).finally(() => { this.running = undefined; });
    return this.running;
  }

  forget(): void {
    this.last = undefined;
  }

  private async run(): Promise<Readiness> {
    const checked_at = this.clock().toISOString();
    const set = this.central();
    try {
      const layout = await this.wh.describeDataset(set.dataset ?? 'organizations');
      const missing = set.tables.map((t) => t.name).filter((t) => !layout.has(t));
      if (missing.length) return { ready: false, reason: 'central tables missing: run POST /api/v1/admin/bootstrap', missing_tables: missing, checked_at };
      return { ready: true, checked_at };
    } catch {
      return { ready: false, reason: 'warehouse unreachable', checked_at };
    }
  }
}
