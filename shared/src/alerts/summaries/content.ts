import pl from 'nodejs-polars';
import type { Ctx } from '../../context/index.js';
import { budgetSummary } from '../../budgets/budgets/summary.js';
import { daysBetweenFilter, loadSpans, sumBy, total } from '../../costs/analytics/load.js';
import { resolveScope } from '../../costs/analytics/scope.js';
import { decimalsOf, roundMoney } from '../../costs/analytics/money.js';
import { releaseFrames } from '../../costs/analytics/release.js';
import { formatAmount } from '../../i18n/index.js';
import { sharedDetection } from '../anomalies/detect.js';
import { listAnomalies } from '../anomalies/store.js';
import type { AlertScope } from '../scope.js';
import type { Section, Summary } from './fields.js';
import { digestPeriod, type DigestPeriod } from './period.js';

export interface DigestSection { key: Section; title: string; content: string; data: unknown }
export interface Digest {
  subject: string;
  period: string;
  period_start: string;
  period_end: string;
  previous_period_start: string;
  previous_period_end: string;
  comparison: DigestPeriod['comparison'];
  currency: string;
  timezone: string;
  total_cost: number;
  previous_total_cost: number;
  change_percent: number | null;
  sections: DigestSection[];
  /** The digest as a message: the same lines for e-mail, Slack and webhooks. */
  text: string;
  generated_at: string;
}

const pct = (cur: number, prev: number): number | null => (prev === 0 ? null : Math.round(((cur - prev) / prev) * 1000) / 10);
const signed = (p: number | null) => (p === null ? 'no spend before' : `${p > 0 ? '+' : ''}${p}%`);

/**
 * What a digest says, computed now: the period's spend (EffectiveCost, in the display currency,
 * the org's local days) through the cost views' one reduction for the period and the one it is
 * compared with (one round-trip), within the digest's providers, services and hierarchy entity;
 * budget status through the budgets summary (in parallel); anomalies through the detector and its
 * records (`record`: whether the detection run for it records what it finds).
 */
export async function buildDigest(ctx: Ctx, scope: AlertScope, s: Summary, opts: { record: boolean }): Promise<Digest> {
  const currency = s.currency_display ?? scope.profile.default_currency;
  const d = decimalsOf(currency);
  const money = (v: number) => roundMoney(v, d);
  const fmt = (v: number) => formatAmount(money(v), currency);
  const p = digestPeriod(s.summary_type, scope.today);
  const wants = new Set(s.include_sections);
  const costScope = await resolveScope(ctx, {
    orgSlug: s.org_slug, start_date: p.prev_from, end_date: p.to, currency,
    ...(s.provider_filter.length ? { providers: s.provider_filter } : {}),
    ...(s.hierarchy_entity_id ? { hierarchy_entity_id: s.hierarchy_entity_id } : {}),
  }, { maxDays: 70 });
  const [{ df: loaded }, budgets] = await Promise.all([
    loadSpans(ctx, costScope, [[p.prev_from, p.prev_to], [p.from, p.to]], ['ProviderName', 'ServiceName']),
    wants.has('budget_status') ? budgetSummary(ctx, { orgSlug: s.org_slug, ...(s.hierarchy_entity_id ? { hierarchy_entity_id: s.hierarchy_entity_id } : {}) }) : Promise.resolve(null),
  ]);
  const df = loaded.height && s.service_filter.length ? loaded.filter(pl.col('ServiceName').isIn(s.service_filter)) : loaded;
  const cur = daysBetweenFilter(df, p.from, p.to);
  const prev = daysBetweenFilter(df, p.prev_from, p.prev_to);
  const totalCur = money(total(cur));
  const totalPrev = money(total(prev));
  const change = pct(totalCur, totalPrev);
  const top = (keys: ('ServiceName' | 'ProviderName')[]) => {
    const before = new Map(sumBy(prev, keys).map((r) => [keys.map((k) => r[k] ?? '').join('|'), r.cost]));
    return sumBy(cur, keys).sort((a, b) => b.cost - a.cost).slice(0, s.top_n_items).map((r) => {
      const was = before.get(keys.map((k) => r[k] ?? '').join('|')) ?? 0;
      return { name: r[keys[0]!] ?? 'Unknown', ...(keys.length > 1 ? { provider: r.ProviderName ?? null } : {}), cost: money(r.cost), previous_cost: money(was), change: money(r.cost - was), change_percent: pct(r.cost, was), share_percent: totalCur === 0 ? 0 : Math.round((r.cost / totalCur) * 1000) / 10 };
    });
  };
  const sections: DigestSection[] = [];
  for (const key of s.include_sections) {
    if (key === 'cost_summary' || key === 'cost_overview' || key === 'total_cost') {
      sections.push({ key, title: 'Total spend', content: `${fmt(totalCur)} (${p.label}; ${signed(change)} ${p.comparison})`, data: { total_cost: totalCur, previous_total_cost: totalPrev, change_percent: change, currency } });
    } else if (key === 'wow_comparison') {
      sections.push({ key, title: p.comparison === 'week over week' ? 'Week over week' : 'Month over month', content: `${fmt(totalCur)} against ${fmt(totalPrev)} (${p.prev_from}..${p.prev_to}): ${signed(change)}`, data: { current: totalCur, previous: totalPrev, change: money(totalCur - totalPrev), change_percent: change, previous_period_start: p.prev_from, previous_period_end: p.prev_to } });
    } else if (key === 'top_services' || key === 'top_providers') {
      const rows = top(key === 'top_services' ? ['ServiceName', 'ProviderName'] : ['ProviderName']);
      sections.push({ key, title: `Top ${rows.length} ${key === 'top_services' ? 'services' : 'providers'}`, content: rows.map((r) => `${r.name}: ${fmt(r.cost)} (${signed(r.change_percent)})`).join('; ') || 'no spend', data: rows });
    } else if (key === 'cost_trend') {
      const days = sumBy(cur, ['day']).sort((a, b) => ((a.day ?? '') < (b.day ?? '') ? -1 : 1)).map((r) => ({ date: r.day, cost: money(r.cost) }));
      sections.push({ key, title: 'Daily spend', content: days.map((x) => `${x.date}: ${fmt(x.cost)}`).join('; ') || 'no spend', data: days });
    } else if (key === 'budget_status' && budgets) {
      const items = budgets.items.filter((b) => b.budget_type === 'monetary').map((b) => ({ budget_id: b.budget_id, category: b.category, hierarchy_entity_id: b.hierarchy_entity_id, period_type: b.period_type, budget_amount: b.budget_amount, actual_amount: b.actual_amount, currency: b.currency, percent_used: b.budget_amount === 0 ? null : Math.round((b.actual_amount / b.budget_amount) * 1000) / 10, is_over_budget: b.is_over_budget }));
      sections.push({ key, title: 'Budgets', content: items.length ? items.map((b) => `${b.hierarchy_entity_id ?? 'org'} ${b.category} ${b.period_type}: ${formatAmount(b.actual_amount, b.currency)} of ${formatAmount(b.budget_amount, b.currency)} (${b.percent_used ?? 0}%)${b.is_over_budget ? ' OVER' : ''}`).join('; ') : 'no budgets', data: { items, budgets_over: budgets.budgets_over, budgets_total: budgets.budgets_total } });
    } else if (key === 'anomalies') {
      sections.push(await anomalySection(ctx, scope, s, p, opts.record));
    }
  }
  releaseFrames(loaded, df, cur, prev);
  const subject = `${s.name}: ${fmt(totalCur)} ${s.summary_type === 'daily' ? 'on' : 'in'} ${p.label}`;
  const text = [`${s.name} (${s.summary_type}, ${p.label}, ${scope.profile.default_timezone}), in ${currency}`, ...sections.map((x) => `${x.title}: ${x.content}`)].join('\n');
  return {
    subject, period: p.label, period_start: p.from, period_end: p.to, previous_period_start: p.prev_from, previous_period_end: p.prev_to, comparison: p.comparison,
    currency, timezone: scope.profile.default_timezone, total_cost: totalCur, previous_total_cost: totalPrev, change_percent: change, sections, text, generated_at: ctx.clock().toISOString(),
  };
}

/**
 * The cost anomalies whose days touch the period (not ignored), within the digest's providers
 * and services, the largest first: the detector runs first (recording what it finds when the
 * digest is sent, not on a preview), then the stored records of the period are read. Amounts are
 * the records' own (the org's currency).
 */
async function anomalySection(ctx: Ctx, scope: AlertScope, s: Summary, p: DigestPeriod, record: boolean): Promise<DigestSection> {
  // A digest of a hierarchy entity watches that subtree's series; the org's digest the whole org's.
  const entity = s.hierarchy_entity_id?.toUpperCase() ?? null;
  const detected = await sharedDetection(ctx, scope, { record, entityId: entity });
  const stored = (await listAnomalies(ctx.warehouse, scope.tenant, { sinceDay: p.from, limit: 1000 })).filter((a) => a.hierarchy_entity_id === entity);
  const byId = new Map([...stored, ...detected.anomalies].map((a) => [a.anomaly_id, a]));
  const providers = new Set(s.provider_filter.map((x) => x.toLowerCase()));
  const rows = [...byId.values()]
    .filter((a) => a.status !== 'ignored' && a.start_day <= p.to && a.last_seen_day >= p.from)
    .filter((a) => (providers.size ? providers.has(a.provider.toLowerCase()) : true) && (s.service_filter.length ? s.service_filter.includes(a.service) : true))
    .sort((a, b) => Math.abs(Number(b.impact_amount)) - Math.abs(Number(a.impact_amount)))
    .slice(0, s.top_n_items)
    .map((a) => ({ anomaly_id: a.anomaly_id, provider: a.provider, service: a.service, model: a.model, direction: a.direction, status: a.status, start_day: a.start_day, last_seen_day: a.last_seen_day, peak_day: a.peak_day, impact_amount: Number(a.impact_amount), percent_change: a.percent_change, currency: a.currency, contributors: a.contributors.slice(0, 3) }));
  const line = (a: (typeof rows)[number]) => `${a.provider} ${a.service}${a.model ? ` (${a.model})` : ''}: ${a.direction === 'up' ? '+' : '-'}${formatAmount(Math.abs(a.impact_amount), a.currency)}${a.percent_change === null ? '' : ` (${signed(a.percent_change)})`} on ${a.peak_day}, ${a.status}`;
  return { key: 'anomalies', title: 'Anomalies', content: rows.length ? rows.map(line).join('; ') : `none detected (${detected.series_watched} series watched)`, data: rows };
}
