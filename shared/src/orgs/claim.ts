import { ServiceUnavailableError } from '../errors.js';
import type { Warehouse } from '../warehouse/port.js';
import { ref } from './tables.js';

/**
 * Claiming an org slug without unique constraints.
 *
 * BigQuery has no unique keys, and it only serialises DML that really modifies existing rows of
 * the same partition: two MERGEs that each just insert a new row do not conflict, so a plain
 * "insert if absent" would let two onboardings of a new slug both win. So every claim also
 * updates one shared lock row in `org_profiles` (slug CLAIM_LOCK_SLUG, created by bootstrap).
 * All claims therefore modify the same row of the same unpartitioned table: BigQuery runs them
 * one after another (a conflicting one fails with "could not serialize" and the adapter reruns
 * it on a fresh snapshot), and each sees every claim committed before it. Within that one MERGE
 * the slug's row is inserted (new slug) or taken over (DELETED, FAILED, or PENDING
 * past its lease). The claim then reads the slug back: it won if the one row is PENDING under
 * its claim id. The DuckDB adapter queues MERGEs per table the same way; DuckDB's own
 * constraints play no part. Only DELETE frees a slug: a live org's billing status (CANCELLED,
 * SUSPENDED) does not.
 *
 * The claim also starts a fresh key epoch (the claim id): keys of a slug's earlier life are
 * dead from this statement on (see keys/store.ts).
 *
 * Load: every claim is a mutating statement on org_profiles (so are settle, locale changes,
 * status changes and key regenerations). BigQuery runs 2 such statements per table at a time
 * and queues 20 more; at ~1-2 s each that is roughly one onboarding per second sustained, and
 * a burst of more than ~20 at once. Past that BigQuery answers "too many DML statements
 * outstanding", which the adapter turns into 503 with Retry-After (never 500): the client
 * retries and the claim, being conditional, is safe to repeat.
 */
export const CLAIM_LOCK_SLUG = '-onboarding-lock-'; // not a valid org slug: no org can collide with it

export interface ClaimInput {
  orgSlug: string;
  claimId: string;
  now: Date;
  /** PENDING claims last touched before this may be taken over (their attempt died). */
  leaseCutoff: Date;
  profile: {
    company_name: string;
    admin_email: string;
    org_dataset_id: string;
    subscription_plan: string;
    default_currency: string;
    default_country: string;
    default_language: string;
    default_timezone: string;
  };
}

const PROFILE_COLUMNS = ['company_name', 'admin_email', 'org_dataset_id', 'subscription_plan', 'default_currency', 'default_country', 'default_language', 'default_timezone'] as const;

export async function claimSlug(wh: Warehouse, input: ClaimInput): Promise<boolean> {
  const sets = PROFILE_COLUMNS.map((c) => `${c} = @${c}`).join(', ');
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
        INSERT (org_slug, ${PROFILE_COLUMNS.join(', ')}, status, created_at, updated_at, onboarding_claim_id, key_epoch, locale_version)
        VALUES (@org_slug, ${PROFILE_COLUMNS.map((c) => `@${c}`).join(', ')}, 'PENDING', @now, @now, @claim_id, @claim_id, 0)`,
    params: { org_slug: input.orgSlug, lock_slug: CLAIM_LOCK_SLUG, ...input.profile, now: input.now, lease_cutoff: input.leaseCutoff, claim_id: input.claimId },
  });
  const rows = await wh.query({
    sql: `SELECT status, onboarding_claim_id FROM ${ref(wh, 'org_profiles')} WHERE org_slug = @org`,
    params: { org: input.orgSlug },
  });
  const won = rows.length === 1 && rows[0]!.status === 'PENDING' && rows[0]!.onboarding_claim_id === input.claimId;
  if (affectedRows - (won ? 1 : 0) < 1) {
    // No lock row was updated, so this claim was not serialised against others: refuse it.
    throw new ServiceUnavailableError('The onboarding lock row is missing: run POST /api/v1/admin/bootstrap once');
  }
  return won;
}

/** Bootstrap creates the lock row once (an extra copy would do no harm: the claim reads its slug back). */
export async function ensureClaimLock(wh: Warehouse, now: Date): Promise<void> {
  await wh.execute({
    sql: `INSERT INTO ${ref(wh, 'org_profiles')} (org_slug, company_name, admin_email, org_dataset_id, status, created_at, updated_at)
          SELECT @lock, 'onboarding lock (see shared/src/orgs/claim.ts)', '-', '-', 'LOCK', @now, @now
          FROM (SELECT 1 AS one) AS x
          WHERE NOT EXISTS (SELECT 1 FROM ${ref(wh, 'org_profiles')} WHERE org_slug = @lock)`,
    params: { lock: CLAIM_LOCK_SLUG, now },
  });
}

/** Marks this attempt's claim finished (ACTIVE) or failed; false if the claim was lost meanwhile. */
export async function settleClaim(wh: Warehouse, orgSlug: string, claimId: string, status: 'ACTIVE' | 'FAILED', now: Date): Promise<boolean> {
  const { affectedRows } = await wh.execute({
    sql: `UPDATE ${ref(wh, 'org_profiles')} SET status = @status, updated_at = @now
          WHERE org_slug = @org AND onboarding_claim_id = @claim AND status = 'PENDING'`,
    params: { status, now, org: orgSlug, claim: claimId },
  });
  return affectedRows === 1;
}
