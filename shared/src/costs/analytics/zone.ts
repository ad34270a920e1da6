import type { ZoneOffsets } from '../ledger/store.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Seconds east of UTC in force in `timeZone` at `ms` (whole seconds). */
export function offsetSeconds(ms: number, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 1000);
}

/**
 * The zone's offset at `from` and every change in [from, to): found by stepping a day at a time
 * (no zone changes twice in a day) and narrowing each change to the second. A 730-day range in a
 * DST zone has about four.
 */
export function zoneOffsets(timeZone: string, from: Date, to: Date): ZoneOffsets {
  const DAY = 86_400_000;
  const start = from.getTime();
  const end = to.getTime();
  const initial = offsetSeconds(start, timeZone);
  const changes: { at: Date; offset: number }[] = [];
  let prev = initial;
  for (let t = start; t < end; t += DAY) {
    const next = Math.min(t + DAY, end);
    const o = offsetSeconds(next, timeZone);
    if (o === prev) continue;
    // The first second at which the new offset holds, in (t, next].
    let lo = t;
    let hi = next;
    while (hi - lo > 1000) {
      const mid = Math.floor((lo + hi) / 2000) * 1000;
      if (mid <= lo) break;
      if (offsetSeconds(mid, timeZone) === prev) lo = mid;
      else hi = mid;
    }
    if (hi < end) changes.push({ at: new Date(hi), offset: o });
    prev = o;
  }
  return { initial, changes };
}

/** A local day's first instant as ISO 8601 with the zone's offset then (`2026-03-01T00:00:00-05:00`): its date part is the local date. */
export function localIso(day: string, startMs: number, timeZone: string): string {
  const o = offsetSeconds(startMs, timeZone);
  const wall = new Date(startMs + o * 1000).toISOString().slice(11, 19);
  const sign = o < 0 ? '-' : '+';
  const a = Math.abs(o);
  return `${day}T${wall}${sign}${String(Math.floor(a / 3600)).padStart(2, '0')}:${String(Math.floor((a % 3600) / 60)).padStart(2, '0')}`;
}
