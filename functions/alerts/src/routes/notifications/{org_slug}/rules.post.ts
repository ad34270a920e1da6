import { defineRoute, Reply } from '@cloudact/shared';
import { createRule } from '@cloudact/shared/alerts/rules/create';
import { CreateRuleBody, OrgParams, Rule } from '../../../schemas.js';

export const createRuleRoute = defineRoute({
  method: 'POST', path: '/api/v1/notifications/{org_slug}/rules', auth: 'org', tags: ['notifications'],
  summary: 'Add an alert rule (201); one that cannot evaluate (unknown conditions, a type not evaluated, a missing channel or budget) → 422 naming the field',
  params: OrgParams,
  body: CreateRuleBody,
  response: Rule,
  successStatus: 201,
  async handler({ params, body, ctx }) {
    return new Reply(201, await createRule(ctx, { orgSlug: params.org_slug, ...body }));
  },
});
