import type { Ctx } from '../../context/index.js';
import { cacheStats } from './result-cache.js';

/** GET /costs/{org}/cache/stats: this instance's result cache (entries of the org, hits, misses). */
export async function getCacheStats(ctx: Ctx, input: { orgSlug: string }) {
  await ctx.profiles.get(input.orgSlug);
  return { success: true as const, org_slug: input.orgSlug, scope: 'instance' as const, ...cacheStats(ctx, input.orgSlug) };
}
