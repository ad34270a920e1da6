import { defineRoute } from '@cloudact/shared';
import { listOrgRules } from '@cloudact/shared/alerts/rules/read';
import { ListRulesQuery, OrgParams, RuleList } from '../../../schemas.js';

export const listRulesRoute = defineRoute({
  method: 'GET', path: '/api/v1/notifications/{org_slug}/rules', auth: 'org', tags: ['notifications'],
  summary: 'The org\'s alert rules with last_triggered_at and trigger_count_today (local day)',
  params: OrgParams,
  query: ListRulesQuery,
  response: RuleList,
  async handler({ params, query, ctx }) {
    return listOrgRules(ctx, { orgSlug: params.org_slug, ...query });
  },
});
