import { randomUUID } from 'node:crypto';
import { actorId, type Ctx } from '../../context/index.js';
import { ServiceUnavailableError } from '../../errors.js';
import { tenantOf } from '../../orgs/identity.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { CHAT_DEFAULTS, chatModels, checkedCredential, type ChatProvider } from './model.js';
import { activeSettings, ensureLock, replaceActive, type ChatSettingsRow } from './store.js';

export interface SaveInput {
  orgSlug: string; provider: ChatProvider; credential_id?: string; model_id: string; model_name?: string | null;
  temperature?: number; max_tokens?: number; include_org_context?: boolean; enable_memory?: boolean; max_history_messages?: number; system_prompt_extra?: string | null;
}

/**
 * Saves the org's chat settings as its one active row (201): the credential checked (active,
 * VALID, same provider), then ONE MERGE that inserts the row and retires the active one
 * (store.ts: serialised by the tenant's lock row, so two saves at once leave one active row:
 * the later one), then the audit row. A MERGE whose answer was lost is read back.
 */
export async function saveChatSettings(ctx: Ctx, input: SaveInput): Promise<ChatSettingsRow> {
  const t = await tenantOf(ctx, input.orgSlug);
  const credential = await checkedCredential(ctx.warehouse, t, input.provider, input.credential_id);
  const now = ctx.clock();
  const actor = actorId(ctx.actor) ?? null;
  const row: ChatSettingsRow = {
    setting_id: randomUUID(), org_slug: t.orgSlug, provider: input.provider, credential_id: credential.credential_id, model_id: input.model_id,
    model_name: input.model_name ?? chatModels().get(input.provider)?.find((m) => m.id === input.model_id)?.name ?? input.model_id,
    temperature: input.temperature ?? CHAT_DEFAULTS.temperature, max_tokens: input.max_tokens ?? CHAT_DEFAULTS.max_tokens,
    include_org_context: input.include_org_context ?? CHAT_DEFAULTS.include_org_context, enable_memory: input.enable_memory ?? CHAT_DEFAULTS.enable_memory,
    max_history_messages: input.max_history_messages ?? CHAT_DEFAULTS.max_history_messages, system_prompt_extra: input.system_prompt_extra ?? null,
    is_active: true, configured_by: actor, created_at: now.toISOString(), updated_at: now.toISOString(), updated_by: actor,
  };
  await ensureLock(ctx.warehouse, t, now);
  const failed = await replaceActive(ctx.warehouse, t, row, now).then(() => undefined, (err: unknown) => err ?? new Error('MERGE failed'));
  if (failed) {
    const there = await activeSettings(ctx.warehouse, t).catch(() => undefined);
    if (there?.setting_id !== row.setting_id) throw failed instanceof Error && failed.name === 'ServiceUnavailableError' ? failed : new ServiceUnavailableError('The chat settings were not saved; try again');
  }
  await auditAfter(ctx, { orgSlug: t.orgSlug, action: 'CHAT_SETTINGS_SAVE', resourceType: 'CHAT_SETTINGS', resourceId: row.setting_id, details: { after: row } });
  return row;
}
