import { defineRoute } from '@cloudact/shared';
import { dryRunAllocation } from '@cloudact/shared/hierarchy/allocation/dry-run';
import { DryRunAnswer, DryRunBody, OrgParams } from '../../../../schemas.js';

export const dryRunAllocationRoute = defineRoute({
  method: 'POST', path: '/api/v1/hierarchy/{org_slug}/allocation-rules/dry-run', auth: 'org', tags: ['hierarchy'],
  summary: 'How much of a range each rule version and rule allocates, and how much stays unallocated (org currency, local days)',
  params: OrgParams,
  body: DryRunBody,
  response: DryRunAnswer,
  async handler({ params, body, ctx }) {
    return dryRunAllocation(ctx, { orgSlug: params.org_slug, ...body });
  },
});
