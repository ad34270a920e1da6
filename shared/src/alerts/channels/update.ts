import type { Ctx } from '../../context/index.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { actorOf } from '../../hierarchy/actor.js';
import { alertScope } from '../scope.js';
import type { ChannelInput } from './fields.js';
import { channelOrThrow } from './read.js';
import { channelView } from './view.js';
import { applyChannelInput, storeChannel } from './write.js';

/** Changes a channel in place (its type stays); a new URL or headers are encrypted again, never answered. */
export async function updateChannel(ctx: Ctx, input: Omit<ChannelInput, 'channel_type'> & { orgSlug: string; channelId: string }) {
  const { orgSlug, channelId, ...f } = input;
  const now = ctx.clock();
  const { tenant } = await alertScope(ctx, orgSlug);
  const before = await channelOrThrow(ctx, tenant, channelId);
  const next = await applyChannelInput(ctx, tenant, before, f);
  next.updated_at = now.toISOString();
  next.updated_by = actorOf(ctx);
  await storeChannel(ctx, tenant, next, now);
  const view = channelView(next);
  await auditAfter(ctx, { orgSlug, orgId: tenant.orgId, action: 'NOTIFICATION_CHANNEL_UPDATE', resourceType: 'NOTIFICATION_CHANNEL', resourceId: channelId, details: { before: channelView(before), after: view } });
  return view;
}
