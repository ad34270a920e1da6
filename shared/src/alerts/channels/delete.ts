import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { alertScope } from '../scope.js';
import { deleteChannel } from './store.js';

export async function deleteOrgChannel(ctx: Ctx, input: { orgSlug: string; channelId: string }): Promise<void> {
  const { tenant } = await alertScope(ctx, input.orgSlug);
  const n = await deleteChannel(ctx.warehouse, tenant, input.channelId);
  if (n === 0) throw new NotFoundError(`No notification channel ${input.channelId}`, { channel_id: input.channelId });
  await auditAfter(ctx, { orgSlug: input.orgSlug, orgId: tenant.orgId, action: 'NOTIFICATION_CHANNEL_DELETE', resourceType: 'NOTIFICATION_CHANNEL', resourceId: input.channelId, details: {} });
}
