import type { Ctx } from '../../context/index.js';
import { dayNumber } from '../../i18n/dates.js';
import { listPlans } from '../../saas/plans/store.js';
import type { Conditions, Rule } from '../rules/fields.js';
import type { AlertScope } from '../scope.js';
import type { Candidate, Evaluation } from './candidate.js';

/**
 * SaaS plans renewing soon (their renewal_date, in the org's local days): a plan fires once per
 * renewal date and warning day, at the largest of `days_before_renewal` it has reached, so a
 * plan first seen 3 days out with warnings [30, 7, 1] fires the 7-day warning once, then the 1-day.
 * Only the current version of an enabled, not ended plan counts; the provider filter applies.
 */
export async function evaluateRenewals(ctx: Ctx, scope: AlertScope, rule: Rule): Promise<Evaluation> {
  const c = rule.conditions as Conditions<'subscription_renewal'>;
  const plans = await listPlans(ctx.warehouse, scope.profile.org_dataset_id);
  const today = scope.today;
  const warnings = [...c.days_before_renewal].sort((x, y) => x - y);
  const providers = rule.provider_filter.map((p) => p.toLowerCase());
  const candidates: Candidate[] = [];
  const observed: Record<string, unknown>[] = [];
  for (const p of plans) {
    if (p.superseded_by !== null || !p.is_enabled || p.cancelled_at !== null || (p.end_date !== null && p.end_date < today) || !p.renewal_date) continue;
    if (providers.length && !providers.includes(p.provider.toLowerCase())) continue;
    const daysLeft = dayNumber(p.renewal_date) - dayNumber(today);
    if (daysLeft < 0) continue;
    // The tightest warning the plan has reached: fired once per renewal date.
    const reached = warnings.find((w) => daysLeft <= w);
    observed.push({ subscription_id: p.subscription_id, provider: p.provider, plan_name: p.plan_name, renewal_date: p.renewal_date, days_left: daysLeft, warning: reached ?? null });
    if (reached === undefined) continue;
    const name = p.display_name ?? `${p.provider} ${p.plan_name}`;
    candidates.push({
      dedupe_key: `${rule.rule_id}|renewal:${p.plan_id}:${p.renewal_date}:${reached}`,
      reason: `${name} renews on ${p.renewal_date} (${daysLeft === 0 ? 'today' : `in ${daysLeft} day${daysLeft === 1 ? '' : 's'}`})`,
      title: `${rule.name}: ${name} renews ${daysLeft === 0 ? 'today' : `in ${daysLeft} day${daysLeft === 1 ? '' : 's'}`}`,
      text: `${name} (${p.seats} seat${p.seats === 1 ? '' : 's'}, ${p.billing_cycle}, ${p.unit_price} ${p.currency} per unit) renews on ${p.renewal_date}${p.auto_renew ? ' automatically' : ''}; the ${reached}-day warning.`,
      data: { subscription_id: p.subscription_id, plan_id: p.plan_id, provider: p.provider, plan_name: p.plan_name, renewal_date: p.renewal_date, days_left: daysLeft, warning_days: reached, auto_renew: p.auto_renew },
    });
  }
  return { candidates, observed: { plans: observed, today } };
}
