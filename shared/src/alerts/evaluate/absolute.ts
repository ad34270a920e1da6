import pl from 'nodejs-polars';
import type { Ctx } from '../../context/index.js';
import { loadReduced, total } from '../../costs/analytics/load.js';
import { resolveScope, WEB_CATEGORIES } from '../../costs/analytics/scope.js';
import { decimalsOf, roundMoney } from '../../costs/analytics/money.js';
import { addDays } from '../../i18n/dates.js';
import { formatAmount } from '../../i18n/index.js';
import type { Conditions, Rule } from '../rules/fields.js';
import type { AlertScope } from '../scope.js';
import type { Evaluation } from './candidate.js';

/** The local days of the current period: today, this ISO week from Monday, or this month. */
export function periodDays(period: 'daily' | 'weekly' | 'monthly', today: string): { from: string; to: string } {
  if (period === 'daily') return { from: today, to: today };
  if (period === 'monthly') return { from: `${today.slice(0, 7)}-01`, to: today };
  const dow = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
  return { from: addDays(today, -dow), to: today };
}

/**
 * Spend (EffectiveCost, in the org's currency) over the period's local days through the cost
 * views' one reduction (loadReduced), within the rule's hierarchy entity, providers and services.
 * Fires once per period and threshold.
 */
export async function evaluateAbsolute(ctx: Ctx, scope: AlertScope, rule: Rule): Promise<Evaluation> {
  const c = rule.conditions as Conditions<'absolute_threshold'>;
  const currency = scope.profile.default_currency;
  const { from, to } = periodDays(c.period, scope.today);
  const costScope = await resolveScope(ctx, { orgSlug: rule.org_slug, start_date: from, end_date: to, currency, ...(rule.hierarchy_entity_id ? { hierarchy_entity_id: rule.hierarchy_entity_id } : {}) }, { maxDays: 40 });
  const { df } = await loadReduced(ctx, costScope, from, to, ['ProviderName', 'ServiceName'], c.cost_category ? [WEB_CATEGORIES[c.cost_category]!] : undefined);
  let kept = df;
  if (kept.height && rule.provider_filter.length) kept = kept.filter(pl.col('ProviderName').str.toLowerCase().isIn(rule.provider_filter.map((p) => p.toLowerCase())));
  if (kept.height && rule.service_filter.length) kept = kept.filter(pl.col('ServiceName').isIn(rule.service_filter));
  const spend = roundMoney(kept.height ? total(kept) : 0, decimalsOf(currency));
  const observed = { spend, threshold_amount: c.threshold_amount, currency, period: c.period, period_start: from, period_end: to, cost_category: c.cost_category ?? 'all' };
  if (spend < c.threshold_amount) return { candidates: [], observed };
  const label = c.period === 'daily' ? `on ${from}` : c.period === 'weekly' ? `in the week from ${from}` : `in ${from.slice(0, 7)}`;
  return {
    observed,
    candidates: [{
      dedupe_key: `${rule.rule_id}|${c.period}:${from}|${c.threshold_amount}`,
      reason: `spend ${formatAmount(spend, currency)} ${label} reached ${formatAmount(c.threshold_amount, currency)}`,
      title: `${rule.name}: spend ${formatAmount(spend, currency)} ${label}`,
      text: `Spend of ${formatAmount(spend, currency)} ${label} (local days ${from}..${to}, ${scope.profile.default_timezone}) reached the threshold of ${formatAmount(c.threshold_amount, currency)}.`,
      data: observed,
    }],
  };
}
