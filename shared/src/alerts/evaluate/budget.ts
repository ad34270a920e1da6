import type { Ctx } from '../../context/index.js';
import { budgetSummary } from '../../budgets/budgets/summary.js';
import { formatAmount } from '../../i18n/index.js';
import type { Conditions, Rule } from '../rules/fields.js';
import type { AlertScope } from '../scope.js';
import type { Candidate, Evaluation } from './candidate.js';

/**
 * A budget's actual (the budgets summary: its current period, through the cost views) against
 * `threshold_percent` of its amount. Fires once per budget, period and threshold; amounts in the
 * org's currency (the summary converts them).
 */
export async function evaluateBudget(ctx: Ctx, scope: AlertScope, rule: Rule): Promise<Evaluation> {
  const c = rule.conditions as Conditions<'budget_percent'> & { budget_id?: string };
  // budget_forecast compares the forecast for the period; the others the actual so far.
  const forecast = rule.rule_type === 'budget_forecast';
  const summary = await budgetSummary(ctx, { orgSlug: rule.org_slug, ...(rule.hierarchy_entity_id && !c.budget_id ? { hierarchy_entity_id: rule.hierarchy_entity_id } : {}) });
  // The budgets summary's forecast is its run rate (budgets issue 19); the forecasting module replaces it there.
  const items = summary.items.filter((i) => (c.budget_id ? i.budget_id === c.budget_id : true));
  const currency = summary.currency;
  const candidates: Candidate[] = [];
  const pctOf = (v: number, of: number) => (of === 0 ? 0 : Math.round((v / of) * 10000) / 100);
  const observed = items.map((i) => ({
    budget_id: i.budget_id, percent: pctOf(forecast ? i.forecast_amount : i.actual_amount, i.budget_amount), measure: forecast ? `forecast (${i.forecast_method})` : 'actual',
    actual: i.actual_amount_org, forecast: i.forecast_amount, budget: i.budget_amount_org, currency, period_start: i.period_start, period_end: i.period_end,
  }));
  for (const [n, i] of items.entries()) {
    const o = observed[n]!;
    if (o.percent < c.threshold_percent) continue;
    const money = i.budget_type === 'monetary';
    const orgAmount = forecast ? (i.budget_amount_org !== null && i.budget_amount !== 0 ? (i.forecast_amount / i.budget_amount) * i.budget_amount_org : i.forecast_amount) : i.actual_amount_org;
    const actual = money ? formatAmount(orgAmount, currency) : `${forecast ? i.forecast_amount : i.actual_amount} ${i.currency.toLowerCase()}`;
    const budget = money && i.budget_amount_org !== null ? formatAmount(i.budget_amount_org, currency) : `${i.budget_amount} ${i.currency.toLowerCase()}`;
    const what = `${i.category} budget${i.hierarchy_entity_id ? ` of ${i.hierarchy_entity_name ?? i.hierarchy_entity_id}` : ''}${i.provider ? ` (${i.provider})` : ''}`;
    candidates.push({
      dedupe_key: `${rule.rule_id}|budget:${i.budget_id}|${i.period_start}|${c.threshold_percent}`,
      reason: `${what} ${forecast ? 'forecast ' : ''}at ${o.percent} % (threshold ${c.threshold_percent} %)`,
      title: `${rule.name}: ${what} ${forecast ? 'forecast ' : ''}at ${o.percent} %`,
      text: forecast
        ? `The ${what} is forecast to reach ${actual} of ${budget} (${o.percent} %) by the end of ${i.period_start}..${i.period_end} (run rate of the elapsed local days), past the ${c.threshold_percent} % threshold.`
        : `The ${what} has used ${actual} of ${budget} (${o.percent} %) in ${i.period_start}..${i.period_end}, past the ${c.threshold_percent} % threshold.`,
      data: { ...o, budget_type: i.budget_type, category: i.category, hierarchy_entity_id: i.hierarchy_entity_id, threshold_percent: c.threshold_percent },
    });
  }
  return { candidates, observed: { budgets: observed, currency } };
}
