import { actorId, type Ctx } from '../../context/index.js';
import { tenantOf } from '../../orgs/identity.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { notFound } from './model.js';
import { deactivate } from './store.js';

/** Turns the assistant's settings off (the row stays, inactive); 404 when `settingId` is not active. */
export async function removeChatSettings(ctx: Ctx, input: { orgSlug: string; settingId: string }): Promise<void> {
  const t = await tenantOf(ctx, input.orgSlug);
  if (!(await deactivate(ctx.warehouse, t, input.settingId, { now: ctx.clock(), actor: actorId(ctx.actor) ?? null }))) throw notFound(input.settingId);
  await auditAfter(ctx, { orgSlug: t.orgSlug, action: 'CHAT_SETTINGS_DELETE', resourceType: 'CHAT_SETTINGS', resourceId: input.settingId, details: {} });
}
