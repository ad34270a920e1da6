import type { Ctx } from '../../context/index.js';
import { integrationsOf } from './check.js';
import { resolveProvider } from './provider.js';
import { tenantOf } from '../../orgs/identity.js';
import { activeByProvider } from './store.js';
import { entry, type IntegrationEntry } from './view.js';
import { currentDefaults } from './hierarchy.js';

/** Every registry provider, configured or not: the credentials and the tree (for the default entities) in one parallel round-trip. */
export async function listIntegrations(ctx: Pick<Ctx, 'warehouse' | 'config' | 'actor' | 'profiles'>, input: { orgSlug: string }) {
  const { providers } = integrationsOf(ctx);
  const tenant = await tenantOf(ctx, input.orgSlug);
  // The default entity as the tree has it now (a rename or move is followed), read beside the credentials.
  const [active, placed] = await Promise.all([activeByProvider(ctx.warehouse, tenant), currentDefaults(ctx, tenant)]);
  const integrations: Record<string, IntegrationEntry> = {};
  for (const def of providers.all) integrations[def.canonical] = placed(entry(def, active.get(def.canonical)));
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
  const tenant = await tenantOf(ctx, input.orgSlug);
  const [active, placed] = await Promise.all([activeByProvider(ctx.warehouse, tenant), currentDefaults(ctx, tenant)]);
  return { org_slug: input.orgSlug, ...placed(entry(def, active.get(def.canonical))) };
}
