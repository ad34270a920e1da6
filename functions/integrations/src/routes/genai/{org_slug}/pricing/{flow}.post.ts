import { defineRoute } from '@cloudact/shared';
import { createFlowPrice } from '@cloudact/shared/integrations/genai/create';
import { CreateFlowBody, FlowEntry, FlowParams } from '../../../../genai.schemas.js';

export const createFlowPriceRoute = defineRoute({
  method: 'POST', path: '/api/v1/genai/{org_slug}/pricing/{flow}', auth: 'org', tags: ['genai'],
  summary: 'Add a custom GenAI price (201 with its pricing_id); 409 when that provider × identifier × region is priced',
  params: FlowParams,
  body: CreateFlowBody,
  response: FlowEntry,
  successStatus: 201,
  async handler({ params, body, ctx }) {
    return createFlowPrice(ctx, { orgSlug: params.org_slug, flow: params.flow, body });
  },
});
