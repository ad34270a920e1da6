import { defineRoute } from '@cloudact/shared';
import { overrideFlowPrice } from '@cloudact/shared/integrations/genai/override';
import { FlowEntry, IdentifierParams, KeyQuery, OverrideBody } from '../../../../../../genai.schemas.js';

export const overrideFlowPriceRoute = defineRoute({
  method: 'PUT', path: '/api/v1/genai/{org_slug}/pricing/{flow}/{identifier}/override', auth: 'org', tags: ['genai'],
  summary: 'Override one provider × identifier × region price (input and output) from effective_from; identifier is the model, instance type or a pricing_id; 409 on a stale expected_last_updated',
  params: IdentifierParams,
  query: KeyQuery,
  body: OverrideBody,
  response: FlowEntry,
  async handler({ params, query, body, ctx }) {
    return overrideFlowPrice(ctx, { orgSlug: params.org_slug, flow: params.flow, identifier: params.identifier, provider: query.provider, region: query.region, ...body });
  },
});
