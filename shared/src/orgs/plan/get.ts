import type { Ctx } from '../../context/index.js';
import { getPlan as readPlan, type PlanView } from './store.js';

/** The org's plan, status and limits (GET /organizations/{org}/subscription). */
export async function getPlan(ctx: Pick<Ctx, 'warehouse'>, input: { orgSlug: string }): Promise<{ org_slug: string; subscription: PlanView }> {
  return { org_slug: input.orgSlug, subscription: await readPlan(ctx.warehouse, input.orgSlug) };
}
