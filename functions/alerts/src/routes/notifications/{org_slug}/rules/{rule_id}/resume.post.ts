import { defineRoute } from '@cloudact/shared';
import { setRuleState } from '@cloudact/shared/alerts/rules/update';
import { Rule, RuleParams } from '../../../../../schemas.js';

export const resumeRuleRoute = defineRoute({
  method: 'POST', path: '/api/v1/notifications/{org_slug}/rules/{rule_id}/resume', auth: 'org', tags: ['notifications'],
  summary: 'Resume an alert rule (is_active true)',
  params: RuleParams,
  response: Rule,
  async handler({ params, ctx }) {
    return setRuleState(ctx, { orgSlug: params.org_slug, ruleId: params.rule_id, active: true });
  },
});
