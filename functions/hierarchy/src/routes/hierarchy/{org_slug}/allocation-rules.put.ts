import { defineRoute } from '@cloudact/shared';
import { putAllocationRules } from '@cloudact/shared/hierarchy/allocation/rules';
import { OrgParams, PutAllocationRulesBody, RuleVersion } from '../../../schemas.js';

export const putAllocationRulesRoute = defineRoute({
  method: 'PUT', path: '/api/v1/hierarchy/{org_slug}/allocation-rules', auth: 'org', tags: ['hierarchy'],
  summary: 'A new version of the label allocation rules, in force from effective_from (earlier days keep the earlier version)',
  params: OrgParams,
  body: PutAllocationRulesBody,
  response: RuleVersion,
  async handler({ params, body, ctx }) {
    return putAllocationRules(ctx, { orgSlug: params.org_slug, body });
  },
});
