import { tenantOf } from '../../orgs/identity.js';
import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { resolveProvider } from './provider.js';
import { deactivate } from './store.js';

/** Deactivates the provider's credential; the rows are kept for audit, the secret is never used again. */
export async function removeIntegration(ctx: Ctx, input: { orgSlug: string; provider: string }) {
  const def = resolveProvider(ctx, input.provider);
  const removed = await deactivate(ctx.warehouse, await tenantOf(ctx, input.orgSlug), def.canonical, ctx.clock());
  if (!removed) throw new NotFoundError(`No ${def.display_name} integration is configured for ${input.orgSlug}`);
  await auditAfter(ctx, { orgSlug: input.orgSlug, action: 'INTEGRATION_DELETE', resourceType: 'INTEGRATION', resourceId: def.canonical, details: { provider: def.canonical, deactivated: removed } });
  return { success: true, message: `${def.display_name} integration deactivated`, provider: def.canonical };
}
