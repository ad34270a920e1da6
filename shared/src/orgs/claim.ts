import type { Warehouse } from '../warehouse/port.js';
import { ref } from './tables.js';

/**
 * Claiming an org slug without unique constraints.
 *
 * BigQuery has no unique keys, so "exactly one onboarding of a slug wins" is decided by one
 * MERGE on `org_profiles` (one row per slug): it inserts a PENDING row when the slug is new, or
 * takes over a row that is DELETED, CANCELLED, FAILED, or PENDING past its lease. MERGE is
 * mutating DML: BigQuery runs it under snapshot isolation and serialises concurrent MERGEs on a
 * table (org_profiles is unpartitioned, so they always touch the same partition): of two racing
 * claims one commits and the other fails with "could not serialize" (the adapter retries it and
 * it then matches the committed row) or waits in the queue and sees it. The WHEN MATCHED UPDATE
 * clause keeps the statement mutating; an INSERT-only MERGE would not get that treatment.
 * Affected rows = 1 means this attempt holds the slug. The DuckDB adapter queues MERGEs per
 * table the same way, so the embedded engine's own constraints play no part.
 */
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
      USING (SELECT @org_slug AS org_slug) AS S
      ON T.org_slug = S.org_slug
      WHEN MATCHED AND (T.status IN ('DELETED', 'CANCELLED', 'FAILED') OR (T.status = 'PENDING' AND T.updated_at < @lease_cutoff)) THEN
        UPDATE SET ${sets}, status = 'PENDING', created_at = @now, updated_at = @now, onboarding_claim_id = @claim_id, deleted_at = NULL
      WHEN NOT MATCHED THEN
        INSERT (org_slug, ${PROFILE_COLUMNS.join(', ')}, status, created_at, updated_at, onboarding_claim_id)
        VALUES (@org_slug, ${PROFILE_COLUMNS.map((c) => `@${c}`).join(', ')}, 'PENDING', @now, @now, @claim_id)`,
    params: { org_slug: input.orgSlug, ...input.profile, now: input.now, lease_cutoff: input.leaseCutoff, claim_id: input.claimId },
  });
  return affectedRows === 1;
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
