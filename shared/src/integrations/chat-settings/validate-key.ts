import type { Ctx } from '../../context/index.js';
import { tenantOf } from '../../orgs/identity.js';
import { activeByProvider } from '../credentials/store.js';
import { validateIntegration } from '../credentials/validate.js';
import type { ChatProvider } from './model.js';

/**
 * Checks the provider's active credential with the provider now (the integrations' validate:
 * the outcome is recorded on the credential). A credential_id that is not the active one of
 * that provider answers valid: false without calling the provider.
 */
export async function validateChatKey(ctx: Ctx, input: { orgSlug: string; provider: ChatProvider; credential_id?: string; model_id?: string }) {
  const base = { provider: input.provider, model_id: input.model_id ?? null };
  if (input.credential_id !== undefined) {
    const active = (await activeByProvider(ctx.warehouse, await tenantOf(ctx, input.orgSlug))).get(input.provider);
    if (active?.credential_id !== input.credential_id) {
      return { ...base, valid: false, credential_id: input.credential_id, error: `${input.credential_id} is not the org's active ${input.provider} credential` };
    }
  }
  const r = await validateIntegration(ctx, { orgSlug: input.orgSlug, provider: input.provider.toLowerCase() });
  if (r.success) return { ...base, valid: true, credential_id: r.credential_id, message: r.message };
  return { ...base, valid: false, credential_id: r.credential_id, error: r.validation_error ?? r.message };
}
