import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import type { Tenant } from '../../orgs/identity.js';
import { alertScope } from '../scope.js';
import type { Channel } from './fields.js';
import { getChannel, listChannels } from './store.js';
import { channelView } from './view.js';

export async function channelOrThrow(ctx: Ctx, t: Tenant, channelId: string): Promise<Channel> {
  const c = await getChannel(ctx.warehouse, t, channelId);
  if (!c) throw new NotFoundError(`No notification channel ${channelId}`, { channel_id: channelId });
  return c;
}

export async function listOrgChannels(ctx: Ctx, input: { orgSlug: string; channel_type?: string; is_active?: boolean }) {
  const { tenant } = await alertScope(ctx, input.orgSlug);
  const all = (await listChannels(ctx.warehouse, tenant)).filter((c) => (input.channel_type === undefined || c.channel_type === input.channel_type) && (input.is_active === undefined || c.is_active === input.is_active));
  return all.map(channelView);
}

export async function getOrgChannel(ctx: Ctx, input: { orgSlug: string; channelId: string }) {
  const { tenant } = await alertScope(ctx, input.orgSlug);
  return channelView(await channelOrThrow(ctx, tenant, input.channelId));
}
