import { ServiceUnavailableError } from '../../errors.js';
import type { Warehouse } from '../../warehouse/port.js';
import { insertClaimLock, mergeClaim, settleClaimRow, slugHolder, type ClaimedProfile } from './store.js';

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
export { CLAIM_LOCK_SLUG } from './store.js';

export interface ClaimInput {
  orgSlug: string;
  claimId: string;
  now: Date;
  /** PENDING claims last touched before this may be taken over (their attempt died). */
  leaseCutoff: Date;
  profile: ClaimedProfile;
}

export async function claimSlug(wh: Warehouse, input: ClaimInput): Promise<boolean> {
  const affectedRows = await mergeClaim(wh, input);
  const holder = await slugHolder(wh, input.orgSlug);
  const won = holder?.status === 'PENDING' && holder.onboarding_claim_id === input.claimId;
  if (affectedRows - (won ? 1 : 0) < 1) {
    // No lock row was updated, so this claim was not serialised against others: refuse it.
    throw new ServiceUnavailableError('The onboarding lock row is missing: run POST /api/v1/admin/bootstrap once');
  }
  return won;
}

/** Bootstrap creates the lock row once. */
export async function ensureClaimLock(wh: Warehouse, now: Date): Promise<void> {
  await insertClaimLock(wh, now);
}

/** Marks this attempt's claim finished (ACTIVE) or failed; false if the claim was lost meanwhile. */
export async function settleClaim(wh: Warehouse, orgSlug: string, claimId: string, status: 'ACTIVE' | 'FAILED', now: Date): Promise<boolean> {
  return settleClaimRow(wh, orgSlug, claimId, status, now);
}
