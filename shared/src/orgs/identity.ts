import type { Ctx } from '../context/index.js';

/**
 * The tenant behind a slug: the org_id (onboarding claim id) of the slug's current life.
 *
 * A slug is re-usable: deleted and onboarded again it names an unrelated company. Every central
 * row an org writes carries its org_id and every read filters on it, so the next tenant under
 * the same slug sees nothing of the last one. An org key already names its tenant (read with the
 * key, no extra round-trip); for root and system callers the profile (cached) tells.
 */
export async function orgIdOf(ctx: Pick<Ctx, 'actor' | 'profiles'>, orgSlug: string): Promise<string> {
  const a = ctx.actor;
  if (a.kind === 'org' && a.orgSlug === orgSlug && a.orgId) return a.orgId;
  return (await ctx.profiles.get(orgSlug)).org_id;
}

/** A slug and the tenant behind it: what every org-scoped central read and write is keyed by. */
export interface Tenant {
  orgSlug: string;
  orgId: string;
}

export async function tenantOf(ctx: Pick<Ctx, 'actor' | 'profiles'>, orgSlug: string): Promise<Tenant> {
  return { orgSlug, orgId: await orgIdOf(ctx, orgSlug) };
}
