import type { Ctx } from '../../context/index.js';
import { tenantOf } from '../../orgs/identity.js';
import { activeByProvider } from '../credentials/store.js';
import { CHAT_PROVIDERS, chatModels } from './model.js';

/** The providers the assistant can use, their models (from the pricing defaults) and the org's credential of each (VALID ones count). */
export async function chatProviders(ctx: Ctx, input: { orgSlug: string }) {
  const active = await activeByProvider(ctx.warehouse, await tenantOf(ctx, input.orgSlug));
  return {
    org_slug: input.orgSlug,
    providers: CHAT_PROVIDERS.map((p) => {
      const c = active.get(p);
      const valid = c?.validation_status === 'VALID';
      return { provider: p, models: chatModels().get(p) ?? [], has_credential: valid, credential_id: valid ? c.credential_id : null, validation_status: c?.validation_status ?? null };
    }),
  };
}
