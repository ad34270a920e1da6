import { defineRoute } from '@cloudact/shared';
import { deleteOrgRule } from '@cloudact/shared/alerts/rules/delete';
import { NoContent, RuleParams } from '../../../../schemas.js';

export const deleteRuleRoute = defineRoute({
  method: 'DELETE', path: '/api/v1/notifications/{org_slug}/rules/{rule_id}', auth: 'org', tags: ['notifications'],
  summary: 'Delete an alert rule (204)',
  params: RuleParams,
  response: NoContent,
  successStatus: 204,
  async handler({ params, ctx }) {
    await deleteOrgRule(ctx, { orgSlug: params.org_slug, ruleId: params.rule_id });
    return undefined;
  },
});
