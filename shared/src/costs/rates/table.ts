import type { Fixing } from './reference.js';

/** How a rate for one (currency, day) was found. */
export interface RateLookup {
  unitsPerEur: number;
  fixingDate: string;
  /** The day is after the newest fixing of that currency: the newest one was carried forward. */
  carriedForward: boolean;
  /** The day is before the oldest fixing: the oldest one was used (an approximation). */
  carriedBack: boolean;
  approximation: boolean;
  source: Fixing['source'];
}

/**
 * Rates by currency and day, as the ECB's rule has it: a day without a fixing (weekend, holiday)
 * uses the last earlier fixing. Operator rows win over the shipped reference for their day.
 */
export class RateTable {
  private readonly byCurrency = new Map<string, Fixing[]>();

  constructor(reference: readonly Fixing[], operator: readonly Fixing[]) {
    const merged = new Map<string, Fixing>();
    for (const f of [...reference, ...operator]) merged.set(`${f.currency}|${f.date}`, f);
    for (const f of merged.values()) {
      let list = this.byCurrency.get(f.currency);
      if (!list) this.byCurrency.set(f.currency, (list = []));
      list.push(f);
    }
    for (const list of this.byCurrency.values()) list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  }

  has(currency: string): boolean {
    return currency === 'EUR' || this.byCurrency.has(currency);
  }

  newestFixing(currency: string): string | undefined {
    const list = this.byCurrency.get(currency);
    return list?.[list.length - 1]?.date;
  }

  lookup(currency: string, day: string): RateLookup {
    if (currency === 'EUR') return { unitsPerEur: 1, fixingDate: day, carriedForward: false, carriedBack: false, approximation: false, source: 'ECB' };
    const list = this.byCurrency.get(currency);
    if (!list?.length) throw new Error(`No exchange rate for ${currency}`);
    let lo = 0;
    let hi = list.length - 1;
    if (day < list[0]!.date) return { ...view(list[0]!), carriedForward: false, carriedBack: true };
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (list[mid]!.date <= day) lo = mid;
      else hi = mid - 1;
    }
    const f = list[lo]!;
    return { ...view(f), carriedForward: lo === list.length - 1 && day > f.date, carriedBack: false };
  }
}

function view(f: Fixing) {
  return { unitsPerEur: f.unitsPerEur, fixingDate: f.date, approximation: f.approximation, source: f.source };
}
