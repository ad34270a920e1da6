import { defineRoute } from '@cloudact/shared';
import { setRuleState } from '@cloudact/shared/alerts/rules/update';
import { Rule, RuleParams } from '../../../../../schemas.js';

export const pauseRuleRoute = defineRoute({
  method: 'POST', path: '/api/v1/notifications/{org_slug}/rules/{rule_id}/pause', auth: 'org', tags: ['notifications'],
  summary: 'Pause an alert rule (is_active false)',
  params: RuleParams,
  response: Rule,
  async handler({ params, ctx }) {
    return setRuleState(ctx, { orgSlug: params.org_slug, ruleId: params.rule_id, active: false });
  },
});
