import type { Ctx } from '../../context/index.js';
import { listPlans } from '../../saas/plans/store.js';
import type { Conditions, Rule } from '../rules/fields.js';
import type { AlertScope } from '../scope.js';
import type { Candidate, Evaluation } from './candidate.js';

const DAY = 86_400_000;

/**
 * Current SaaS plans (enabled, not cancelled or superseded, not ended before today) with a
 * renewal_date today or later. A plan fires for the tightest days_before_renewal value it is
 * within (7 days out with [30, 7, 1]: the 7), once per plan × renewal date × value, so a rule
 * created late does not send the 30-day notice after the 7-day one.
 */
export async function evaluateRenewals(ctx: Ctx, scope: AlertScope, rule: Rule): Promise<Evaluation> {
  const c = rule.conditions as Conditions<'subscription_renewal'>;
  const plans = (await listPlans(ctx.warehouse, scope.profile.org_dataset_id, c.provider ? { provider: c.provider } : {}))
    .filter((p) => p.is_enabled && p.cancelled_at === null && p.superseded_by === null && (p.end_date === null || p.end_date >= scope.today) && p.renewal_date !== null);
  const offsets = [...new Set(c.days_before_renewal)].sort((x, y) => x - y);
  const candidates: Candidate[] = [];
  const observed: Record<string, unknown>[] = [];
  for (const p of plans) {
    const renewal = p.renewal_date!.slice(0, 10);
    const daysLeft = Math.round((Date.parse(`${renewal}T00:00:00Z`) - Date.parse(`${scope.today}T00:00:00Z`)) / DAY);
    const offset = daysLeft < 0 ? undefined : offsets.find((d) => daysLeft <= d);
    observed.push({ provider: p.provider, plan_name: p.plan_name, renewal_date: renewal, days_left: daysLeft });
    if (offset === undefined) continue;
    const name = p.display_name ?? p.plan_name;
    candidates.push({
      dedupe_key: `${rule.rule_id}|renewal:${p.plan_id}|${renewal}|${offset}`,
      reason: `${p.provider} ${name} renews on ${renewal} (${daysLeft === 0 ? 'today' : `in ${daysLeft} day${daysLeft === 1 ? '' : 's'}`})`,
      title: `${rule.name}: ${p.provider} ${name} renews ${daysLeft === 0 ? 'today' : `in ${daysLeft} day${daysLeft === 1 ? '' : 's'}`}`,
      text: `The ${p.provider} plan ${name} (${p.seats} seat${p.seats === 1 ? '' : 's'}, ${p.billing_cycle}, ${p.unit_price} ${p.currency} per unit) renews on ${renewal}${p.auto_renew ? ' automatically' : ''}.${p.owner_email ? ` Owner: ${p.owner_email}.` : ''}`,
      data: { provider: p.provider, plan_id: p.plan_id, plan_name: p.plan_name, renewal_date: renewal, days_before_renewal: offset, days_left: daysLeft, auto_renew: p.auto_renew },
    });
  }
  return { candidates, observed: { plans: observed, today: scope.today } };
}
