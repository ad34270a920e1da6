import type { OrgProfile } from '../../context/org.js';
import { NotFoundError } from '../../errors.js';
import type { Row, Warehouse } from '../../warehouse/port.js';
import { columnsOf, ref } from '../tables.js';

export type { OrgProfile } from '../../context/org.js';

/**
 * The one owner of `org_profiles` SQL. One row per slug: the org's profile and lifecycle
 * (`status`), the onboarding claim (see claim.ts), the key epoch (see keys/store.ts) and the
 * locale version. Columns come from the schema file.
 */
let columns: string | undefined;
// Read from the schema file on first use, not at module load: a cold start that runs no query reads none.
const COLUMNS = (): string => (columns ??= [...columnsOf('org_profiles', ['onboarding_claim_id', 'deleted_at']), 'onboarding_claim_id AS org_id'].join(', '));

/**
 * Lifecycle states in which an org exists for its users. TRIAL and CANCELLED are billing states
 * that rows written before lifecycle and billing were split may still carry.
 */
const LIVE = `status IN ('ACTIVE', 'SUSPENDED', 'TRIAL', 'CANCELLED')`;

export function toProfile(row: Row): OrgProfile {
  return {
    org_slug: String(row.org_slug),
    org_id: String(row.org_id ?? ''),
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

/** The org's profile, unless it is missing, only a claim (PENDING/FAILED) or DELETED. */
export async function getLiveProfile(wh: Warehouse, orgSlug: string): Promise<OrgProfile> {
  const [row] = await wh.query({ sql: `SELECT ${COLUMNS()} FROM ${ref(wh, 'org_profiles')} WHERE org_slug = @org AND ${LIVE}`, params: { org: orgSlug } });
  if (!row) throw new NotFoundError(`Organization '${orgSlug}' not found`);
  return toProfile(row);
}

/** The slug's row in any state but an unfinished claim (admin views, deletion of a deleted org). */
export async function findSettledProfile(wh: Warehouse, orgSlug: string): Promise<OrgProfile | undefined> {
  const [row] = await wh.query({
    sql: `SELECT ${COLUMNS()} FROM ${ref(wh, 'org_profiles')} WHERE org_slug = @org AND status NOT IN ('PENDING', 'LOCK')`,
    params: { org: orgSlug },
  });
  return row ? toProfile(row) : undefined;
}

/** Who holds a slug: its status, claim and last change (onboarding conflicts, dry-run). */
export async function slugHolder(wh: Warehouse, orgSlug: string): Promise<{ status: string; onboarding_claim_id: string | null; updated_at: string | null } | undefined> {
  const [row] = await wh.query({ sql: `SELECT status, onboarding_claim_id, updated_at FROM ${ref(wh, 'org_profiles')} WHERE org_slug = @org`, params: { org: orgSlug } });
  return row ? { status: String(row.status), onboarding_claim_id: (row.onboarding_claim_id as string | null) ?? null, updated_at: (row.updated_at as string | null) ?? null } : undefined;
}

/** Every live org's dataset (schema sync walks them). */
export async function liveDatasets(wh: Warehouse): Promise<{ org_slug: string; org_dataset_id: string }[]> {
  const rows = await wh.query({ sql: `SELECT org_slug, org_dataset_id FROM ${ref(wh, 'org_profiles')} WHERE ${LIVE} ORDER BY org_slug` });
  return rows.map((r) => ({ org_slug: String(r.org_slug), org_dataset_id: String(r.org_dataset_id) }));
}

/** The orgs that are in service (ACTIVE or TRIAL): alert evaluation runs walk them. */
export async function servedOrgSlugs(wh: Warehouse): Promise<string[]> {
  const rows = await wh.query({ sql: `SELECT org_slug FROM ${ref(wh, 'org_profiles')} WHERE status IN ('ACTIVE', 'TRIAL') ORDER BY org_slug` });
  return rows.map((r) => String(r.org_slug));
}

/** Compare-and-set of the org's key epoch (keys/store.ts): 1 when this call moved it from `from`. */
export async function moveKeyEpoch(wh: Warehouse, orgSlug: string, from: string | null, to: string, now: Date): Promise<number> {
  const { affectedRows } = await wh.execute({
    sql: `UPDATE ${ref(wh, 'org_profiles')} SET key_epoch = @to, updated_at = @now WHERE org_slug = @org AND COALESCE(key_epoch, '') = @from AND ${LIVE}`,
    params: { to, now, org: orgSlug, from: from ?? '' },
  });
  return affectedRows;
}

export async function readKeyEpoch(wh: Warehouse, orgSlug: string): Promise<string | null> {
  const [row] = await wh.query({ sql: `SELECT key_epoch FROM ${ref(wh, 'org_profiles')} WHERE org_slug = @org`, params: { org: orgSlug } });
  return (row?.key_epoch as string | null | undefined) ?? null;
}

/** Locale change, only if nobody changed it since `seenVersion` was read: 1 applied, 0 lost the race. */
export async function updateLocaleIfUnchanged(wh: Warehouse, a: { orgSlug: string; currency: string; country: string; timezone: string; seenVersion: number; now: Date }): Promise<number> {
  const { affectedRows } = await wh.execute({
    sql: `UPDATE ${ref(wh, 'org_profiles')} SET default_currency = @currency, default_country = @country, default_timezone = @tz, updated_at = @now, locale_version = @next
          WHERE org_slug = @org AND COALESCE(locale_version, 0) = @seen AND ${LIVE}`,
    params: { currency: a.currency, country: a.country, tz: a.timezone, now: a.now, org: a.orgSlug, seen: a.seenVersion, next: a.seenVersion + 1 },
  });
  return affectedRows;
}

/** The lifecycle and plan name a plan change implies (plan/update.ts). */
export async function setLifecycle(wh: Warehouse, a: { orgSlug: string; status: 'ACTIVE' | 'SUSPENDED'; plan: string; now: Date }): Promise<void> {
  await wh.execute({
    sql: `UPDATE ${ref(wh, 'org_profiles')} SET status = @status, subscription_plan = @plan, updated_at = @now WHERE org_slug = @org AND ${LIVE}`,
    params: { status: a.status, plan: a.plan, now: a.now, org: a.orgSlug },
  });
}

/** The deciding write of a deletion: from here on no key of the org works and the slug is free. */
export async function markDeleted(wh: Warehouse, orgSlug: string, now: Date): Promise<number> {
  const { affectedRows } = await wh.execute({
    sql: `UPDATE ${ref(wh, 'org_profiles')} SET status = 'DELETED', deleted_at = @now, updated_at = @now WHERE org_slug = @org AND ${LIVE}`,
    params: { now, org: orgSlug },
  });
  return affectedRows;
}

// ---- The onboarding claim (claim.ts explains why it is shaped like this) ----

export const CLAIM_LOCK_SLUG = '-onboarding-lock-'; // not a valid org slug: no org can collide with it

/** The profile fields an onboarding writes with its claim. */
export const CLAIMED_FIELDS = ['company_name', 'admin_email', 'org_dataset_id', 'subscription_plan', 'default_currency', 'default_country', 'default_language', 'default_timezone'] as const;
export type ClaimedProfile = Record<(typeof CLAIMED_FIELDS)[number], string>;

/** The claim MERGE: the slug's row inserted or taken over, and the shared lock row touched. Returns affected rows. */
export async function mergeClaim(wh: Warehouse, a: { orgSlug: string; claimId: string; now: Date; leaseCutoff: Date; profile: ClaimedProfile }): Promise<number> {
  const sets = CLAIMED_FIELDS.map((c) => `${c} = @${c}`).join(', ');
  const { affectedRows } = await wh.execute({
    sql: `MERGE INTO ${ref(wh, 'org_profiles')} AS T
      USING (SELECT @org_slug AS org_slug, FALSE AS is_lock UNION ALL SELECT @lock_slug AS org_slug, TRUE AS is_lock) AS S
      ON T.org_slug = S.org_slug
      WHEN MATCHED AND S.is_lock THEN
        UPDATE SET updated_at = @now
      WHEN MATCHED AND NOT S.is_lock AND (T.status IN ('DELETED', 'FAILED') OR (T.status = 'PENDING' AND T.updated_at < @lease_cutoff)) THEN
        UPDATE SET ${sets}, status = 'PENDING', created_at = @now, updated_at = @now, onboarding_claim_id = @claim_id, deleted_at = NULL,
          key_epoch = @claim_id, locale_version = 0
      WHEN NOT MATCHED AND NOT S.is_lock THEN
        INSERT (org_slug, ${CLAIMED_FIELDS.join(', ')}, status, created_at, updated_at, onboarding_claim_id, key_epoch, locale_version)
        VALUES (@org_slug, ${CLAIMED_FIELDS.map((c) => `@${c}`).join(', ')}, 'PENDING', @now, @now, @claim_id, @claim_id, 0)`,
    params: { org_slug: a.orgSlug, lock_slug: CLAIM_LOCK_SLUG, ...a.profile, now: a.now, lease_cutoff: a.leaseCutoff, claim_id: a.claimId },
  });
  return affectedRows;
}

/** Bootstrap writes the lock row once (an extra copy would do no harm: a claim reads its slug back). */
export async function insertClaimLock(wh: Warehouse, now: Date): Promise<void> {
  await wh.execute({
    sql: `INSERT INTO ${ref(wh, 'org_profiles')} (org_slug, company_name, admin_email, org_dataset_id, status, created_at, updated_at)
          SELECT @lock, 'onboarding lock (see shared/src/orgs/profiles/claim.ts)', '-', '-', 'LOCK', @now, @now
          FROM (SELECT 1 AS one) AS x
          WHERE NOT EXISTS (SELECT 1 FROM ${ref(wh, 'org_profiles')} WHERE org_slug = @lock)`,
    params: { lock: CLAIM_LOCK_SLUG, now },
  });
}

/** Marks a claim finished or failed, only while it is still PENDING under this claim id. */
export async function settleClaimRow(wh: Warehouse, orgSlug: string, claimId: string, status: 'ACTIVE' | 'FAILED', now: Date): Promise<boolean> {
  const { affectedRows } = await wh.execute({
    sql: `UPDATE ${ref(wh, 'org_profiles')} SET status = @status, updated_at = @now WHERE org_slug = @org AND onboarding_claim_id = @claim AND status = 'PENDING'`,
    params: { status, now, org: orgSlug, claim: claimId },
  });
  return affectedRows === 1;
}
