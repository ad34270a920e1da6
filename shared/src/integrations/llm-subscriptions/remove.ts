import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { llmTarget } from '../llm-target.js';
import { deleteSubscription } from './store.js';
import { auditAfter } from '../../orgs/audit/store.js';

/** Deletes a plan (one statement; 404 when there was none), then the audit row. */
export async function removeLlmSubscription(ctx: Ctx, input: { orgSlug: string; provider: string; planName: string }): Promise<void> {
  const { def, dataset } = await llmTarget(ctx, input.orgSlug, input.provider);
  const removed = await deleteSubscription(ctx.warehouse, dataset, def.canonical, input.planName);
  if (!removed) throw new NotFoundError(`No ${def.display_name} subscription '${input.planName}'`);
  await auditAfter(ctx, { orgSlug: input.orgSlug, action: 'LLM_SUBSCRIPTION_DELETE', resourceType: 'LLM_SUBSCRIPTION', resourceId: input.planName, details: { provider: def.canonical, plan_name: input.planName } });
}
