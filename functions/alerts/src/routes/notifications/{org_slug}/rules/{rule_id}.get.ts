import { defineRoute } from '@cloudact/shared';
import { getOrgRule } from '@cloudact/shared/alerts/rules/read';
import { Rule, RuleParams } from '../../../../schemas.js';

export const getRuleRoute = defineRoute({
  method: 'GET', path: '/api/v1/notifications/{org_slug}/rules/{rule_id}', auth: 'org', tags: ['notifications'],
  summary: 'One alert rule',
  params: RuleParams,
  response: Rule,
  async handler({ params, ctx }) {
    return getOrgRule(ctx, { orgSlug: params.org_slug, ruleId: params.rule_id });
  },
});
