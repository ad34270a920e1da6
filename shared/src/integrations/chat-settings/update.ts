import { actorId, type Ctx } from '../../context/index.js';
import { tenantOf } from '../../orgs/identity.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { checkedCredential, notFound, type ChatProvider } from './model.js';
import { activeSettings, updateActive, type ChatSettingsRow, type SettingsChange } from './store.js';

/**
 * Changes the active settings in place (one guarded UPDATE: 404 when `settingId` is not, or no
 * longer, the active row). A change of provider or credential is checked like a save.
 */
export async function updateChatSettings(ctx: Ctx, input: { orgSlug: string; settingId: string; change: SettingsChange & { provider?: ChatProvider } }): Promise<ChatSettingsRow> {
  const t = await tenantOf(ctx, input.orgSlug);
  const before = await activeSettings(ctx.warehouse, t);
  if (!before || before.setting_id !== input.settingId) throw notFound(input.settingId);
  const change = { ...input.change };
  if (change.provider !== undefined || change.credential_id !== undefined) {
    const provider = (change.provider ?? before.provider) as ChatProvider;
    change.credential_id = (await checkedCredential(ctx.warehouse, t, provider, change.credential_id)).credential_id;
  }
  const now = ctx.clock();
  const actor = actorId(ctx.actor) ?? null;
  if (!(await updateActive(ctx.warehouse, t, input.settingId, change, { now, actor }))) throw notFound(input.settingId);
  const after: ChatSettingsRow = { ...before, ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)), updated_at: now.toISOString(), updated_by: actor };
  await auditAfter(ctx, { orgSlug: t.orgSlug, action: 'CHAT_SETTINGS_UPDATE', resourceType: 'CHAT_SETTINGS', resourceId: input.settingId, details: { before, after } });
  return after;
}
