import { createHash } from 'node:crypto';
import type { Ctx } from '../../context/index.js';
import { decimalsOf, roundMoney } from '../../costs/analytics/money.js';
import { addDays } from '../../i18n/dates.js';
import type { AlertScope } from '../scope.js';
import { DETECTOR, latestRun, type Run } from './detector.js';
import { loadContributors, loadOrgSeries, seriesKey, type SeriesId } from './series.js';
import { ensureAnomalyLock, listAnomalies, recordAnomalies, type AnomalyRecord, type DetectedRun } from './store.js';

export interface Detection {
  /** The records this detection created or extended (ongoing anomalies), newest first. */
  anomalies: AnomalyRecord[];
  series_watched: number;
  currency: string;
  min_impact_amount: number;
  average_daily_spend: number;
  window: { from: string; to: string };
}

const round2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

function toDetected(orgId: string, id: SeriesId, run: Run, currency: string, minImpact: number, entityId: string | null): DetectedRun {
  const d = decimalsOf(currency);
  const m = (x: number) => roundMoney(x, d).toFixed(d);
  const key = seriesKey(id);
  return {
    anomaly_id: createHash('sha256').update(`${orgId}|${entityId ? `@${entityId}|` : ''}${key}|${run.start_day}`).digest('hex').slice(0, 32),
    series_key: key, hierarchy_entity_id: entityId, provider: id.provider, service: id.service, model: id.model, cost_category: id.cost_category,
    direction: run.direction, start_day: run.start_day, last_seen_day: run.last_day, peak_day: run.peak.day, currency,
    actual_amount: m(run.actual), expected_amount: m(run.expected), impact_amount: m(run.impact),
    percent_change: round2(run.percent), z_score: round2(run.z)!, min_impact_amount: m(minImpact), baseline_weeks: run.peak.points,
    days: run.days.map((p) => ({ day: p.day, actual: roundMoney(p.actual, d), expected: roundMoney(p.expected, d), mad: roundMoney(p.mad, d), z: round2(p.z), percent: round2(p.percent) })),
    contributors: [],
  };
}

/** A run not recorded (a dry evaluation) as the record it would become. */
function unrecorded(orgSlug: string, r: DetectedRun, now: Date): AnomalyRecord {
  const at = now.toISOString();
  return {
    ...r, org_slug: orgSlug, status: 'open', first_detected_at: at, last_detected_at: at, created_at: at, updated_at: at,
    acknowledged_at: null, acknowledged_by: null, resolved_at: null, resolved_by: null, ignored_at: null, ignored_by: null, ignore_reason: null, feedback: null,
  };
}

/**
 * Runs the detector over the org's series and, unless `record` is false (dry runs, rule tests),
 * records what it found. Round-trips: the cost scope | the series reduction with the rates and
 * the lock row (parallel) | the contributors of the anomalous series | ONE MERGE | the records
 * read back. Nothing found: no DML at all. Unrecorded, a run answers as the record it continues
 * (its status and feedback) or as the new open record it would be.
 */
export async function detectAnomalies(ctx: Ctx, scope: AlertScope, opts: { record: boolean; entityId?: string | null } = { record: true }): Promise<Detection> {
  const entityId = opts.entityId?.trim().toUpperCase() || null;
  const now = ctx.clock();
  const [org] = await Promise.all([loadOrgSeries(ctx, scope.tenant.orgSlug, scope.today, entityId ?? undefined), opts.record ? ensureAnomalyLock(ctx.warehouse, scope.tenant, now) : Promise.resolve()]);
  const currency = org.scope.currency;
  const base = { series_watched: org.series.length, currency, min_impact_amount: org.minImpact, average_daily_spend: roundMoney(org.averageDaily, decimalsOf(currency)), window: { from: org.scope.start, to: org.scope.end } };
  if (!org.dataStart) return { anomalies: [], ...base };
  const runs: DetectedRun[] = [];
  for (const s of org.series) {
    const run = latestRun({ values: s.values, dataStart: org.dataStart, today: scope.today, minImpact: org.minImpact });
    if (run) runs.push(toDetected(scope.tenant.orgId, s.id, run, currency, org.minImpact, entityId));
  }
  if (!runs.length) return { anomalies: [], ...base };
  const contributors = await loadContributors(ctx, org.scope, org.dataStart, runs.map((r) => ({ key: r.series_key, provider: r.provider, peak_day: r.peak_day })));
  for (const r of runs) r.contributors = (contributors.get(r.series_key) ?? []).filter((c) => (r.direction === 'up' ? c.delta > 0 : c.delta < 0));
  if (opts.record) await recordAnomalies(ctx.warehouse, scope.tenant, runs, now);
  const since = runs.reduce((a, r) => (r.start_day < a ? r.start_day : a), scope.today);
  const stored = await listAnomalies(ctx.warehouse, scope.tenant, { sinceDay: addDays(since, -1), limit: 1000 });
  const anomalies = runs.map((r) => {
    // The record this run extended (recorded), or would extend: same series, touching its days.
    const hit = stored.find((a) => a.series_key === r.series_key && a.hierarchy_entity_id === r.hierarchy_entity_id && a.start_day <= r.last_seen_day && a.last_seen_day >= addDays(r.start_day, -1));
    return hit ?? unrecorded(scope.tenant.orgSlug, r, now);
  }).sort((a, b) => Number(b.impact_amount) - Number(a.impact_amount));
  return { anomalies, ...base };
}

/**
 * One detection per org, scope and request (an evaluation run evaluates an org's rules in
 * parallel, then its due digests, with one ctx): every anomaly rule, the evening detection and a
 * digest's anomalies section of the run read the same detection instead of each reducing the
 * window again and racing its own MERGE.
 */
const runs = new WeakMap<Ctx, Map<string, { p: Promise<Detection>; until: number }>>();
/** A ctx that lives longer than one evaluation (a ticker's) still detects afresh after this. */
const SHARED_MS = 10_000;
export function sharedDetection(ctx: Ctx, scope: AlertScope, opts: { record: boolean; entityId?: string | null }): Promise<Detection> {
  let m = runs.get(ctx);
  if (!m) runs.set(ctx, (m = new Map()));
  const key = `${scope.tenant.orgId}|${opts.record}|${opts.entityId?.trim().toUpperCase() ?? ''}`;
  const hit = m.get(key);
  if (hit && hit.until > performance.now()) return hit.p;
  const p = detectAnomalies(ctx, scope, opts);
  m.set(key, { p, until: performance.now() + SHARED_MS });
  return p;
}

export { DETECTOR };
