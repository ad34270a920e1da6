import { forgetOrg, type Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { auditAfter } from '../audit/store.js';
import { markRevoked } from '../keys/store.js';
import { deactivateAllOfSlug } from '../../integrations/credentials/store.js';
import { cancelPlan } from '../plan/store.js';
import { findSettledProfile, markDeleted } from './store.js';

/**
 * Root: soft delete. The first write (status DELETED) is the one that matters: from it on every
 * key of the org is refused (auth joins the org's status) and the slug may be claimed again.
 * Then, in parallel, the key rows are marked revoked, the credentials deactivated, the plan cancelled and, if asked, the
 * dataset dropped; then the audit row. Deleting an org that is already deleted is allowed and
 * repeats those follow-ups, so a failure part-way is fixed by sending the same request again;
 * that is also how an earlier org's kept dataset is dropped before its slug is reused.
 */
export async function deleteOrg(ctx: Ctx, input: { orgSlug: string; deleteDataset: boolean }) {
  const wh = ctx.warehouse;
  const now = ctx.clock();
  const { orgSlug } = input;
  const profile = await findSettledProfile(wh, orgSlug);
  if (!profile) throw new NotFoundError(`Organization '${orgSlug}' not found`);
  const wasLive = profile.status !== 'DELETED' && profile.status !== 'FAILED';
  if (!wasLive && !input.deleteDataset) throw new NotFoundError(`Organization '${orgSlug}' is already deleted (send "delete_dataset": true to drop its kept dataset)`);
  if (wasLive) await markDeleted(wh, orgSlug, now);
  forgetOrg(ctx, orgSlug);
  const [keys, credentials, plan, dataset] = await Promise.allSettled([
    markRevoked(wh, orgSlug, now, null),
    // No credential of a deleted org is used again, even if the slug's next tenant could reach it.
    deactivateAllOfSlug(wh, orgSlug, now),
    cancelPlan(wh, orgSlug, now),
    input.deleteDataset ? wh.dropDataset(profile.org_dataset_id) : Promise.resolve(),
  ]);
  const incomplete = [keys.status === 'rejected' && 'keys_marked_revoked', credentials.status === 'rejected' && 'credentials_deactivated', plan.status === 'rejected' && 'plan_cancelled', dataset.status === 'rejected' && 'dataset_dropped'].filter((s): s is string => Boolean(s));
  await auditAfter(ctx, {
    orgSlug, orgId: profile.org_id, action: 'ORG_DELETE', resourceType: 'ORGANIZATION', resourceId: orgSlug,
    details: { before: { status: profile.status }, after: { status: 'DELETED' }, delete_dataset: input.deleteDataset, dataset_dropped: input.deleteDataset && dataset.status === 'fulfilled', incomplete },
  });
  // The dataset is the one part whose failure the caller must hear about: data may still be there.
  if (dataset.status === 'rejected') throw dataset.reason;
  if (incomplete.length) ctx.logger.log('WARNING', `org ${orgSlug} deleted; follow-ups failed: ${incomplete.join(', ')} (send the request again to finish them)`, { request_id: ctx.requestId });
  return {
    status: 'SUCCESS',
    org_slug: orgSlug,
    org_status: 'DELETED',
    was_already_deleted: !wasLive,
    keys_revoked: keys.status === 'fulfilled' ? keys.value : 0,
    dataset_deleted: input.deleteDataset,
    dataset_id: profile.org_dataset_id,
    message: `Organization ${orgSlug} ${wasLive ? 'deleted' : 'was already deleted'}${input.deleteDataset ? ' with its dataset' : '; its dataset was kept'}.`,
  };
}
