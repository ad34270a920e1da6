import { defineRoute } from '@cloudact/shared';
import { listLevels } from '@cloudact/shared/hierarchy/levels/list';
import { IncludeInactiveQuery, LevelsResponse, OrgParams } from '../../../schemas.js';

export const listLevelsRoute = defineRoute({
  method: 'GET', path: '/api/v1/hierarchy/{org_slug}/levels', auth: 'org', tags: ['hierarchy'],
  summary: 'The org\'s hierarchy levels (the configured defaults until its first level write)',
  params: OrgParams,
  query: IncludeInactiveQuery,
  response: LevelsResponse,
  async handler({ params, query, ctx }) {
    return listLevels(ctx, { orgSlug: params.org_slug, includeInactive: query.include_inactive });
  },
});
