import { defineRoute } from '@cloudact/shared';
import { updateRule } from '@cloudact/shared/alerts/rules/update';
import { Rule, RuleParams, UpdateRuleBody } from '../../../../schemas.js';

export const updateRuleRoute = defineRoute({
  method: 'PUT', path: '/api/v1/notifications/{org_slug}/rules/{rule_id}', auth: 'org', tags: ['notifications'],
  summary: 'Change an alert rule; checked again whole (422 when it could no longer evaluate)',
  params: RuleParams,
  body: UpdateRuleBody,
  response: Rule,
  async handler({ params, body, ctx }) {
    return updateRule(ctx, { orgSlug: params.org_slug, ruleId: params.rule_id, ...body });
  },
});
