import { defineRoute } from '@cloudact/shared';
import { testRule } from '@cloudact/shared/alerts/rules/test-rule';
import { RuleParams, TestRuleQuery, TestRuleResult } from '../../../../../schemas.js';

export const testRuleRoute = defineRoute({
  method: 'POST', path: '/api/v1/notifications/{org_slug}/rules/{rule_id}/test', auth: 'org', tags: ['notifications'],
  summary: 'Evaluate one of the org\'s rules now (no firing recorded); ?send_notification=true delivers a would-be alert to its channels, marked as a test',
  params: RuleParams,
  query: TestRuleQuery,
  response: TestRuleResult,
  async handler({ params, query, ctx }) {
    return testRule(ctx, { orgSlug: params.org_slug, ruleId: params.rule_id, sendNotification: query.send_notification ?? false });
  },
});
