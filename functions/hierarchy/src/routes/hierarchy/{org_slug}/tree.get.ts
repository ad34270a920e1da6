import { defineRoute } from '@cloudact/shared';
import { entityTree } from '@cloudact/shared/hierarchy/entities/reads';
import { TreeQuery, TreeResponse } from '../../../entities.schemas.js';
import { OrgParams } from '../../../schemas.js';

export const treeRoute = defineRoute({
  method: 'GET', path: '/api/v1/hierarchy/{org_slug}/tree', auth: 'org', tags: ['hierarchy'],
  summary: 'The hierarchy as a tree with the levels and counts per level',
  params: OrgParams,
  query: TreeQuery,
  response: TreeResponse,
  async handler({ params, query, ctx }) {
    return entityTree(ctx, { orgSlug: params.org_slug, includeInactive: query.include_inactive });
  },
});
