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
