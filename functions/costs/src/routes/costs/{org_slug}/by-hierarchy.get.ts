import { defineRoute } from '@cloudact/shared';
import { getCostsByHierarchy } from '@cloudact/shared/costs/views/by-hierarchy';
import { ByHierarchyQueryZ, ByHierarchyResponse, OrgParams } from '../../../costs.schemas.js';

export const byHierarchyRoute = defineRoute({
  method: 'GET', path: '/api/v1/costs/{org_slug}/by-hierarchy', auth: 'org', tags: ['costs'],
  summary: 'Cost per entity of one hierarchy level, each rolled up its subtree in the current tree, with unallocated and above-level costs; the parts add up to the total after rounding',
  params: OrgParams,
  query: ByHierarchyQueryZ,
  response: ByHierarchyResponse,
  async handler({ params, query, ctx }) {
    return getCostsByHierarchy(ctx, { orgSlug: params.org_slug, ...query });
  },
});
