import { defineRoute } from '@cloudact/shared';
import { invalidateCache } from '@cloudact/shared/costs/cache/invalidate';
import { CacheInvalidateResponse, OrgParams } from '../../../../costs.schemas.js';

export const cacheInvalidateRoute = defineRoute({
  method: 'POST', path: '/api/v1/costs/{org_slug}/cache/invalidate', auth: 'org', tags: ['costs'],
  summary: "Drop every cached answer of the org on this instance (every route, range and filter)",
  params: OrgParams,
  response: CacheInvalidateResponse,
  async handler({ params, ctx }) {
    return invalidateCache(ctx, { orgSlug: params.org_slug });
  },
});
