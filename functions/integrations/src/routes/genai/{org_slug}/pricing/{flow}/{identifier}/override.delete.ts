import { defineRoute } from '@cloudact/shared';
import { removeFlowOverride } from '@cloudact/shared/integrations/genai/remove-override';
import { FlowEntry, IdentifierParams, RemoveOverrideQuery } from '../../../../../../genai.schemas.js';

export const deleteFlowOverrideRoute = defineRoute({
  method: 'DELETE', path: '/api/v1/genai/{org_slug}/pricing/{flow}/{identifier}/override', auth: 'org', tags: ['genai'],
  summary: 'Remove an override from the org\'s today: the list price is back (the overridden days keep theirs); answers the new version',
  params: IdentifierParams,
  query: RemoveOverrideQuery,
  response: FlowEntry,
  async handler({ params, query, ctx }) {
    return removeFlowOverride(ctx, { orgSlug: params.org_slug, flow: params.flow, identifier: params.identifier, provider: query.provider, region: query.region, expected_last_updated: query.expected_last_updated });
  },
});
