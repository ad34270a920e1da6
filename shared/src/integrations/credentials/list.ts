import type { Ctx } from '../../context/index.js';
import { integrationsOf } from './check.js';
import { resolveProvider } from './provider.js';
import { tenantOf } from '../../orgs/identity.js';
import { activeByProvider } from './store.js';
import { entry, type IntegrationEntry } from './view.js';

/** Every registry provider, configured or not, in one warehouse round-trip. */
export async function listIntegrations(ctx: Pick<Ctx, 'warehouse' | 'config' | 'actor' | 'profiles'>, input: { orgSlug: string }) {
  const { providers } = integrationsOf(ctx);
  const active = await activeByProvider(ctx.warehouse, await tenantOf(ctx, input.orgSlug));
  const integrations: Record<string, IntegrationEntry> = {};
  for (const def of providers.all) integrations[def.canonical] = entry(def, active.get(def.canonical));
  const configured = Object.values(integrations).filter((e) => e.status !== 'NOT_CONFIGURED');
  return {
    org_slug: input.orgSlug,
    integrations,
    all_valid: configured.length > 0 && configured.every((e) => e.status === 'VALID'),
    providers_configured: configured.map((e) => e.provider),
  };
}

export async function getIntegration(ctx: Pick<Ctx, 'warehouse' | 'config' | 'actor' | 'profiles'>, input: { orgSlug: string; provider: string }): Promise<IntegrationEntry & { org_slug: string }> {
  const def = resolveProvider(ctx, input.provider);
  const active = await activeByProvider(ctx.warehouse, await tenantOf(ctx, input.orgSlug));
  return { org_slug: input.orgSlug, ...entry(def, active.get(def.canonical)) };
}
