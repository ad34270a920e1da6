import { AsyncLocalStorage } from 'node:async_hooks';
import type { Warehouse } from './port.js';

/**
 * Counts warehouse round-trips per request and the deepest chain of sequential ones.
 *
 * Every BigQuery call costs 0.3-2 s, so the number that matters for latency is how many calls
 * had to wait for an earlier one. Each call gets a logical start and end tick; call B follows A
 * when B started after A ended. The depth is the longest such chain. Ticks come from one
 * counter, so calls launched together (Promise.all) always overlap no matter how fast DuckDB
 * answers: the result does not depend on timing.
 */
export interface CallRecord {
  op: string;
  start: number;
  end: number;
}

export class RoundTripMeter {
  private tick = 0;
  readonly calls: CallRecord[] = [];

  begin(op: string): CallRecord {
    const rec = { op, start: ++this.tick, end: Number.POSITIVE_INFINITY };
    this.calls.push(rec);
    return rec;
  }

  finish(rec: CallRecord): void {
    rec.end = ++this.tick;
  }

  get count(): number {
    return this.calls.length;
  }

  /** Longest chain of calls each starting after the previous one ended. */
  get depth(): number {
    const sorted = [...this.calls].sort((a, b) => a.end - b.end);
    const best: number[] = [];
    let max = 0;
    sorted.forEach((call, i) => {
      let d = 1;
      for (let j = 0; j < i; j++) if (sorted[j]!.end < call.start) d = Math.max(d, best[j]! + 1);
      best.push(d);
      max = Math.max(max, d);
    });
    return max;
  }
}

const storage = new AsyncLocalStorage<RoundTripMeter>();

/** Runs `fn` with a fresh meter that every warehouse call inside it reports to. */
export function withMeter<T>(meter: RoundTripMeter, fn: () => T): T {
  return storage.run(meter, fn);
}

export function currentMeter(): RoundTripMeter | undefined {
  return storage.getStore();
}

const METERED = new Set<keyof Warehouse>([
  'ping', 'createDataset', 'dropDataset', 'describeDataset', 'createTable', 'dropTable', 'addColumns', 'query', 'execute', 'queryColumnar', 'loadColumnar',
]);

/** Wraps a warehouse so every round-trip is recorded in the caller's meter (if any). */
export function metered(inner: Warehouse): Warehouse {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || !METERED.has(prop as keyof Warehouse)) {
        return typeof value === 'function' ? value.bind(target) : value;
      }
      const fn = value as (...args: unknown[]) => Promise<unknown>;
      return async (...args: unknown[]) => {
        const meter = storage.getStore();
        const rec = meter?.begin(String(prop));
        try {
          return await fn.apply(target, args);
        } finally {
          if (meter && rec) meter.finish(rec);
        }
      };
    },
  });
}
