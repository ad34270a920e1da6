import type { Ctx } from '../../context/index.js';
import { ConflictError, ValidationError } from '../../errors.js';
import { llmTarget } from '../llm-target.js';
import { datesProblem, newSubscriptionRow, subscriptionView, type SubscriptionFields } from './model.js';
import { ensureLock, insertUnlessPresent, subscriptionByPlan } from './store.js';
import { auditAfter } from '../../orgs/audit/store.js';

export type CreateSubscriptionInput = SubscriptionFields & { orgSlug: string; provider: string; plan_name: string; subscription_id?: string };

/**
 * Adds an LLM subscription; 409 when the provider has a plan of that name.
 *   1. make sure the lock row exists  2. insert unless present, serialised by the lock row
 *   3. read back: ours (201) or the one that was there (409)  4. audit row
 */
export async function createLlmSubscription(ctx: Ctx, input: CreateSubscriptionInput) {
  const { def, dataset, currency, today } = await llmTarget(ctx, input.orgSlug, input.provider);
  const now = ctx.clock();
  const { orgSlug: _org, provider: _provider, ...fields } = input;
  const row = newSubscriptionRow(def.canonical, fields, { currency, today: today, now });
  const bad = datesProblem(row);
  if (bad) throw new ValidationError(`Nothing was created: ${bad}`, { end_date: [bad] });
  const wh = ctx.warehouse;
  await ensureLock(wh, dataset, now);
  // A MERGE whose answer was lost may have committed: the read-back decides (see pricing/create.ts).
  const merged = await insertUnlessPresent(wh, dataset, row, now).then(() => undefined, (err: unknown) => err ?? new Error('MERGE failed'));
  const found = await subscriptionByPlan(wh, dataset, def.canonical, row.plan_name);
  const ours = found?.subscription_id === row.subscription_id;
  if (!ours && merged) throw merged;
  if (!ours) {
    throw new ConflictError(`${def.display_name} subscription '${row.plan_name}' already exists; change it with PUT`, { plan_name: row.plan_name });
  }
  await auditAfter(ctx, { orgSlug: input.orgSlug, action: 'LLM_SUBSCRIPTION_CREATE', resourceType: 'LLM_SUBSCRIPTION', resourceId: row.subscription_id, details: { provider: def.canonical, plan_name: row.plan_name, after: subscriptionView(row) } });
  return subscriptionView(row);
}
