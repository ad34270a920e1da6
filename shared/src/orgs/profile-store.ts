import { NotFoundError } from '../errors.js';
import type { Row, Warehouse } from '../warehouse/port.js';
import { ref } from './tables.js';

export interface OrgProfile {
  org_slug: string;
  company_name: string;
  admin_email: string;
  org_dataset_id: string;
  status: string;
  subscription_plan: string | null;
  default_currency: string;
  default_country: string;
  default_language: string;
  default_timezone: string;
  created_at: string;
  updated_at: string | null;
  key_epoch: string | null;
  locale_version: number;
}

const COLUMNS = 'org_slug, company_name, admin_email, org_dataset_id, status, subscription_plan, default_currency, default_country, default_language, default_timezone, created_at, updated_at, key_epoch, locale_version';

/** Org lifecycle states in which the org exists for its users (its keys work unless SUSPENDED). */
export const LIVE_ORG_STATUSES = ['ACTIVE', 'SUSPENDED'] as const;

/** The org's profile, unless it is missing or only a claim (PENDING/FAILED) or DELETED. */
export async function getLiveProfile(wh: Warehouse, orgSlug: string): Promise<OrgProfile> {
  const [row] = await wh.query({
    sql: `SELECT ${COLUMNS} FROM ${ref(wh, 'org_profiles')} WHERE org_slug = @org AND status IN ('ACTIVE', 'SUSPENDED', 'TRIAL', 'CANCELLED')`,
    params: { org: orgSlug },
  });
  if (!row) throw new NotFoundError(`Organization '${orgSlug}' not found`);
  return toProfile(row);
}

export function toProfile(row: Row): OrgProfile {
  return {
    org_slug: String(row.org_slug),
    company_name: String(row.company_name),
    admin_email: String(row.admin_email),
    org_dataset_id: String(row.org_dataset_id),
    status: String(row.status),
    subscription_plan: (row.subscription_plan as string | null) ?? null,
    default_currency: String(row.default_currency ?? 'USD'),
    default_country: String(row.default_country ?? 'US'),
    default_language: String(row.default_language ?? 'en'),
    default_timezone: String(row.default_timezone ?? 'UTC'),
    created_at: String(row.created_at),
    updated_at: (row.updated_at as string | null) ?? null,
    key_epoch: (row.key_epoch as string | null | undefined) ?? null,
    locale_version: Number(row.locale_version ?? 0),
  };
}

/**
 * Compare-and-set of the org's key epoch (see keys/store.ts): 1 when this call moved it from
 * `from`, 0 when another regeneration (or a deletion) got there first.
 */
export async function moveKeyEpoch(wh: Warehouse, orgSlug: string, from: string | null, to: string, now: Date): Promise<number> {
  const { affectedRows } = await wh.execute({
    sql: `UPDATE ${ref(wh, 'org_profiles')} SET key_epoch = @to, updated_at = @now
          WHERE org_slug = @org AND COALESCE(key_epoch, '') = @from AND status IN ('ACTIVE', 'SUSPENDED', 'TRIAL', 'CANCELLED')`,
    params: { to, now, org: orgSlug, from: from ?? '' },
  });
  return affectedRows;
}

export async function readKeyEpoch(wh: Warehouse, orgSlug: string): Promise<string | null> {
  const [row] = await wh.query({ sql: `SELECT key_epoch FROM ${ref(wh, 'org_profiles')} WHERE org_slug = @org`, params: { org: orgSlug } });
  return (row?.key_epoch as string | null | undefined) ?? null;
}

export const SUBSCRIPTION_COLUMNS = 'subscription_id, plan_name, status, daily_limit, monthly_limit, concurrent_limit, seat_limit, providers_limit, trial_end_date, subscription_end_date, created_at, updated_at';

export interface SubscriptionView {
  subscription_id: string;
  plan_name: string;
  status: string;
  daily_limit: number;
  monthly_limit: number;
  concurrent_limit: number;
  seat_limit: number | null;
  providers_limit: number | null;
  trial_end_date: string | null;
  subscription_end_date: string | null;
  created_at: string;
  updated_at: string | null;
}

export async function getSubscriptionRow(wh: Warehouse, orgSlug: string): Promise<SubscriptionView> {
  const [row] = await wh.query({ sql: `SELECT ${SUBSCRIPTION_COLUMNS} FROM ${ref(wh, 'org_subscriptions')} WHERE org_slug = @org`, params: { org: orgSlug } });
  if (!row) throw new NotFoundError(`Organization '${orgSlug}' has no subscription`);
  return row as unknown as SubscriptionView;
}
