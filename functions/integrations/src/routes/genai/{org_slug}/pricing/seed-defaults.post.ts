import { defineRoute } from '@cloudact/shared';
import { seedFlowDefaults } from '@cloudact/shared/integrations/genai/seed';
import { SeedAnswer, SeedQuery } from '../../../../genai.schemas.js';
import { OrgParams } from '../../../../schemas.js';

export const seedGenaiDefaultsRoute = defineRoute({
  method: 'POST', path: '/api/v1/genai/{org_slug}/pricing/seed-defaults', auth: 'root', tags: ['genai'],
  summary: 'Seed the default GenAI prices (configs/genai) of one flow or all three; a key already priced is kept (root)',
  params: OrgParams,
  query: SeedQuery,
  response: SeedAnswer,
  async handler({ params, query, ctx }) {
    return seedFlowDefaults(ctx, { orgSlug: params.org_slug, flow: query.flow });
  },
});
