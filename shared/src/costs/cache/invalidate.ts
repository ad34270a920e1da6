import type { Ctx } from '../../context/index.js';
import { invalidateOrgCache } from './result-cache.js';

/** POST /costs/{org}/cache/invalidate: drops every cached answer of the org on this instance. */
export async function invalidateCache(ctx: Ctx, input: { orgSlug: string }) {
  await ctx.profiles.get(input.orgSlug);
  return { success: true as const, org_slug: input.orgSlug, entries_removed: invalidateOrgCache(ctx, input.orgSlug) };
}
