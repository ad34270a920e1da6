import { defineRoute } from '@cloudact/shared';
import { getCacheStats } from '@cloudact/shared/costs/cache/stats';
import { CacheStatsResponse, OrgParams } from '../../../../costs.schemas.js';

export const cacheStatsRoute = defineRoute({
  method: 'GET', path: '/api/v1/costs/{org_slug}/cache/stats', auth: 'org', tags: ['costs'],
  summary: "This instance's result cache: the org's entries, hits, misses, TTL",
  params: OrgParams,
  response: CacheStatsResponse,
  async handler({ params, ctx }) {
    return getCacheStats(ctx, { orgSlug: params.org_slug });
  },
});
