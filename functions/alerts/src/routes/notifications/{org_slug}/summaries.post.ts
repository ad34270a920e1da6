import { defineRoute, Reply } from '@cloudact/shared';
import { createSummary } from '@cloudact/shared/alerts/summaries/create';
import { CreateSummaryBody, OrgParams, Summary } from '../../../schemas.js';

export const createSummaryRoute = defineRoute({
  method: 'POST', path: '/api/v1/notifications/{org_slug}/summaries', auth: 'org', tags: ['notifications'],
  summary: 'Schedule a cost digest (201); a cron that never runs, an unknown zone, channel or currency → 422 naming the field',
  params: OrgParams,
  body: CreateSummaryBody,
  response: Summary,
  successStatus: 201,
  async handler({ params, body, ctx }) {
    return new Reply(201, await createSummary(ctx, { orgSlug: params.org_slug, ...body }));
  },
});
