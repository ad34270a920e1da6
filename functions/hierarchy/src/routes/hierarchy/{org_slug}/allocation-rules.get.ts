import { defineRoute } from '@cloudact/shared';
import { getAllocationRules } from '@cloudact/shared/hierarchy/allocation/rules';
import { AllocationRules, OrgParams } from '../../../schemas.js';

export const getAllocationRulesRoute = defineRoute({
  method: 'GET', path: '/api/v1/hierarchy/{org_slug}/allocation-rules', auth: 'org', tags: ['hierarchy'],
  summary: 'The label allocation rules of cloud costs: the current version and every earlier one',
  params: OrgParams,
  response: AllocationRules,
  async handler({ params, ctx }) {
    return getAllocationRules(ctx, { orgSlug: params.org_slug });
  },
});
