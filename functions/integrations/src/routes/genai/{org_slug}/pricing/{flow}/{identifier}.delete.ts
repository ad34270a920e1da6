import { defineRoute } from '@cloudact/shared';
import { removeFlowPrice } from '@cloudact/shared/integrations/genai/remove';
import { IdentifierParams, KeyQuery, NoContent } from '../../../../../genai.schemas.js';

export const deleteFlowPriceRoute = defineRoute({
  method: 'DELETE', path: '/api/v1/genai/{org_slug}/pricing/{flow}/{identifier}', auth: 'org', tags: ['genai'],
  summary: 'Soft-delete one provider × identifier × region price (status deleted; history kept) (204)',
  params: IdentifierParams,
  query: KeyQuery,
  response: NoContent,
  successStatus: 204,
  async handler({ params, query, ctx }) {
    await removeFlowPrice(ctx, { orgSlug: params.org_slug, flow: params.flow, identifier: params.identifier, provider: query.provider, region: query.region });
    return undefined;
  },
});
