import type { Ctx } from '../context/index.js';
import type { OrgProfile } from '../context/org.js';
import { localDate } from '../i18n/dates.js';
import { tenantOf, type Tenant } from '../orgs/identity.js';
import type { OutboundPolicy } from './outbound/address.js';

/** What an alert verb needs of the org: the tenant, its profile (currency, timezone) and its own date today. */
export interface AlertScope { tenant: Tenant; profile: OrgProfile; today: string }

export async function alertScope(ctx: Ctx, orgSlug: string): Promise<AlertScope> {
  const [tenant, profile] = await Promise.all([tenantOf(ctx, orgSlug), ctx.profiles.get(orgSlug)]);
  return { tenant, profile, today: localDate(ctx.clock(), profile.default_timezone) };
}

/** Where deliveries may go, from the config (never from a request). */
export const outboundPolicy = (ctx: Pick<Ctx, 'config'>): OutboundPolicy => ({ environment: ctx.config.environment, allowLoopback: ctx.config.alerts.allowLoopback });
