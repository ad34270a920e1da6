import { WarehouseUnavailableError, type Warehouse } from '../../src/warehouse/port.js';

const CALLS = ['ping', 'createDataset', 'dropDataset', 'describeDataset', 'createTable', 'dropTable', 'addColumns', 'query', 'execute', 'queryColumnar', 'loadColumnar'] as const;
type Call = (typeof CALLS)[number];

/**
 * A real warehouse with injected faults, for proving what a verb leaves behind when the
 * warehouse fails half-way. `armAt(n, mode)`: the n-th call from now fails.
 * - 'before': the call never reaches the warehouse (a request that did not get through)
 * - 'after': the call does its work, then the answer is lost (the nastier case)
 * With `outage`, every later call fails too until `heal()`: the rollback cannot run either.
 */
export class FaultyWarehouse implements Warehouse {
  readonly kind: Warehouse['kind'];
  private count = 0;
  private failAt = 0;
  private mode: 'before' | 'after' = 'before';
  private outage = false;
  private down = false;
  private slowCall = 0;
  private slowMs = 0;
  readonly log: string[] = [];

  constructor(private readonly inner: Warehouse) {
    this.kind = inner.kind;
  }

  armAt(n: number, mode: 'before' | 'after', outage = false): void {
    this.count = 0;
    this.failAt = n;
    this.mode = mode;
    this.outage = outage;
    this.down = false;
    this.slowCall = 0;
    this.log.length = 0;
  }

  /** The n-th call from the last `armAt` waits `ms` before reaching the warehouse (a slow sibling write). */
  slow(n: number, ms: number): void {
    this.slowCall = n;
    this.slowMs = ms;
  }

  heal(): void {
    this.failAt = 0;
    this.down = false;
  }

  get calls(): number {
    return this.count;
  }

  table(dataset: string, table: string): string {
    return this.inner.table(dataset, table);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async call<T>(name: Call, run: () => Promise<T>): Promise<T> {
    this.count++;
    this.log.push(name);
    const fault = () => new WarehouseUnavailableError(`injected fault at call ${this.count} (${name}, ${this.mode})`);
    if (this.down) throw fault();
    if (this.slowCall === this.count) await new Promise((r) => setTimeout(r, this.slowMs));
    if (this.failAt && this.count === this.failAt) {
      if (this.outage) this.down = true;
      if (this.mode === 'before') throw fault();
      await run();
      throw fault();
    }
    return run();
  }

  ping() { return this.call('ping', () => this.inner.ping()); }
  createDataset(d: string) { return this.call('createDataset', () => this.inner.createDataset(d)); }
  dropDataset(d: string) { return this.call('dropDataset', () => this.inner.dropDataset(d)); }
  describeDataset(d: string) { return this.call('describeDataset', () => this.inner.describeDataset(d)); }
  createTable(d: string, s: Parameters<Warehouse['createTable']>[1]) { return this.call('createTable', () => this.inner.createTable(d, s)); }
  dropTable(d: string, t: string) { return this.call('dropTable', () => this.inner.dropTable(d, t)); }
  addColumns(d: string, t: string, f: Parameters<Warehouse['addColumns']>[2]) { return this.call('addColumns', () => this.inner.addColumns(d, t, f)); }
  query(q: Parameters<Warehouse['query']>[0]) { return this.call('query', () => this.inner.query(q)); }
  execute(q: Parameters<Warehouse['execute']>[0]) { return this.call('execute', () => this.inner.execute(q)); }
  queryColumnar(q: Parameters<Warehouse['queryColumnar']>[0]) { return this.call('queryColumnar', () => this.inner.queryColumnar(q)); }
  loadColumnar(...a: Parameters<Warehouse['loadColumnar']>) { return this.call('loadColumnar', () => this.inner.loadColumnar(...a)); }
}
