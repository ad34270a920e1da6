import type { Ctx } from '../../context/index.js';
import { tenantOf } from '../../orgs/identity.js';
import { activeSettings, type ChatSettingsRow } from './store.js';

/** The org's active chat settings, or null (the web app shows its setup form then). */
export async function getChatSettings(ctx: Ctx, input: { orgSlug: string }): Promise<ChatSettingsRow | null> {
  return (await activeSettings(ctx.warehouse, await tenantOf(ctx, input.orgSlug))) ?? null;
}
