import type { Ctx } from '../../context/index.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { llmTarget } from '../llm-target.js';
import { datesProblem, subscriptionView, type SubscriptionFields } from './model.js';
import { rewriteSubscription, subscriptionByPlan, type SubscriptionRow } from './store.js';
import { auditAfter } from '../../orgs/audit/store.js';

/**
 * Changes a plan in place: read it, write it back with the change only if it is unchanged since
 * the read (its revision; else 409, or 404 when it was deleted meanwhile), audit.
 */
export async function updateLlmSubscription(ctx: Ctx, input: { orgSlug: string; provider: string; planName: string; change: SubscriptionFields }) {
  const { def, dataset } = await llmTarget(ctx, input.orgSlug, input.provider);
  const current = await subscriptionByPlan(ctx.warehouse, dataset, def.canonical, input.planName);
  if (!current) throw new NotFoundError(`No ${def.display_name} subscription '${input.planName}'`);
  const defined = Object.fromEntries(Object.entries(input.change).filter(([, v]) => v !== undefined)) as Partial<SubscriptionRow>;
  const row: SubscriptionRow = { ...current, ...defined, updated_at: ctx.clock().toISOString(), revision: (current.revision ?? 0) + 1 };
  const bad = datesProblem(row);
  if (bad) throw new ValidationError(`Nothing was changed: ${bad}`, { end_date: [bad] });
  if (!(await rewriteSubscription(ctx.warehouse, dataset, row, current.revision))) {
    // Nothing was written: the plan was deleted (404) or changed (409) since it was read.
    const now = await subscriptionByPlan(ctx.warehouse, dataset, def.canonical, input.planName);
    if (now?.subscription_id !== current.subscription_id) throw new NotFoundError(`No ${def.display_name} subscription '${input.planName}'`);
    throw new ConflictError(`${def.display_name} subscription '${input.planName}' changed while this change was being made (another PUT won); nothing was written: read it again and resend`, { reason: 'concurrent_change', plan_name: input.planName });
  }
  await auditAfter(ctx, {
    orgSlug: input.orgSlug, action: 'LLM_SUBSCRIPTION_UPDATE', resourceType: 'LLM_SUBSCRIPTION', resourceId: row.subscription_id,
    details: { provider: def.canonical, plan_name: row.plan_name, before: subscriptionView(current), after: subscriptionView(row) },
  });
  return subscriptionView(row);
}
