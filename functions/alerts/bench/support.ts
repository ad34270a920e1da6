import { addDays, startOfLocalDay } from '../../../shared/src/i18n/dates.js';

/** A call to the alerts app as the org, its JSON answer (a non-2xx stops the benchmark). */
export function orgCaller(app: { fetch(r: Request): Promise<Response> }, org: string, key: string) {
  return async (method: string, path: string): Promise<Record<string, any>> => {
    const res = await app.fetch(new Request(`http://fn/api/v1/notifications/${org}${path}`, { method, headers: { 'x-api-key': key, 'content-type': 'application/json' } }));
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as Record<string, any>;
  };
}

/** A detected or recorded anomaly as the benchmarks compare it with the truth. */
export interface Found { anomaly_id: string; key: string; direction: string; start_day: string; last_seen_day: string }
export const found = (a: Record<string, any>): Found => ({ anomaly_id: a.anomaly_id, key: a.series.key, direction: a.direction, start_day: a.start_day, last_seen_day: a.last_seen_day });

/** The p-th quantile of the timings (nearest rank). */
export function quantile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/**
 * The detector run as the hourly evaluation would, once each evening (23:30 local: the day's rows
 * are in, and the detector still treats the day as running) from `from` to `to`, after one
 * unmeasured warm-up on the first morning. Returns each event's first detection day and the time
 * each detection took.
 */
export async function eveningDetections<E extends { id: string }>(
  call: ReturnType<typeof orgCaller>, setClock: (iso: string) => void, timeZone: string, range: { from: string; to: string },
  events: readonly E[], matches: (e: E, a: Found) => boolean,
): Promise<{ firstSeen: Map<string, string>; timings: number[] }> {
  const firstSeen = new Map<string, string>();
  const timings: number[] = [];
  setClock(new Date(startOfLocalDay(range.from, timeZone).getTime() + 8 * 3_600_000).toISOString());
  await call('POST', '/anomalies/detect');
  for (let day = range.from; day <= range.to; day = addDays(day, 1)) {
    setClock(new Date(startOfLocalDay(addDays(day, 1), timeZone).getTime() - 30 * 60_000).toISOString());
    const t = performance.now();
    const d = await call('POST', '/anomalies/detect');
    timings.push(performance.now() - t);
    for (const a of (d.anomalies as Record<string, any>[]).map(found)) for (const e of events) if (matches(e, a) && !firstSeen.has(e.id)) firstSeen.set(e.id, day);
  }
  return { firstSeen, timings };
}
