import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { listKeys } from '../keys/list.js';
import { findPlan } from '../plan/store.js';
import { findSettledProfile } from './store.js';

/** Root: profile (any status but an unfinished or failed claim), plan and key metadata, in one round of queries. */
export async function getOrgOverview(ctx: Pick<Ctx, 'warehouse' | 'clock'>, input: { orgSlug: string }) {
  const { orgSlug } = input;
  const wh = ctx.warehouse;
  const [profile, plan, keys] = await Promise.all([findSettledProfile(wh, orgSlug), findPlan(wh, orgSlug), listKeys(ctx, { orgSlug })]);
  if (!profile || profile.status === 'FAILED') throw new NotFoundError(`Organization '${orgSlug}' not found`);
  return { org_slug: orgSlug, profile, subscription: plan ?? null, api_keys: keys };
}
