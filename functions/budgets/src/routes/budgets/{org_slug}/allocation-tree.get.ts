import { defineRoute } from '@cloudact/shared';
import { allocationTree } from '@cloudact/shared/budgets/budgets/tree';
import { OrgParams, TreeQuery, TreeResponse } from '../../../schemas.js';

export const allocationTreeRoute = defineRoute({
  method: 'GET', path: '/api/v1/budgets/{org_slug}/allocation-tree', auth: 'org', tags: ['budgets'],
  summary: 'Active budgets as allocation trees (allocated_to_children, unallocated, actual, variance), optionally from one entity\'s budgets',
  params: OrgParams,
  query: TreeQuery,
  response: TreeResponse,
  rateClass: 'costs',
  async handler({ params, query, ctx }) {
    return allocationTree(ctx, { orgSlug: params.org_slug, root_entity_id: query.root_entity_id });
  },
});
