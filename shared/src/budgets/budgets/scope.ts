import type { Ctx } from '../../context/index.js';
import type { OrgProfile } from '../../context/org.js';
import { localDate } from '../../i18n/dates.js';
import { tenantOf, type Tenant } from '../../orgs/identity.js';

/** What a budget verb needs of the org: the tenant, its profile and its own date today. */
export interface BudgetScope { tenant: Tenant; profile: OrgProfile; today: string }

export async function budgetScope(ctx: Ctx, orgSlug: string): Promise<BudgetScope> {
  const [tenant, profile] = await Promise.all([tenantOf(ctx, orgSlug), ctx.profiles.get(orgSlug)]);
  return { tenant, profile, today: localDate(ctx.clock(), profile.default_timezone) };
}
