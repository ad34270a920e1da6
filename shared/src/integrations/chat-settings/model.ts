import { NotFoundError, ValidationError } from '../../errors.js';
import type { Warehouse } from '../../warehouse/port.js';
import type { Tenant } from '../../orgs/identity.js';
import { activeByProvider, type CredentialRow } from '../credentials/store.js';
import { defaultLines } from '../genai/defaults.js';
import { seedFile } from '../pricing/seed.js';

/** The providers the assistant can talk to (stored as the integrations' canonical names). */
export const CHAT_PROVIDERS = ['OPENAI', 'ANTHROPIC', 'GEMINI', 'DEEPSEEK'] as const;
export type ChatProvider = (typeof CHAT_PROVIDERS)[number];

export const CHAT_DEFAULTS = { temperature: 0.7, max_tokens: 4096, include_org_context: true, enable_memory: true, max_history_messages: 50 } as const;

export interface ChatModel { id: string; name: string }

let models: Map<ChatProvider, ChatModel[]> | undefined;
/**
 * Each provider's chat models, from the pricing defaults (configs/genai/payg.csv, global rows
 * not deprecated; names from the integrations seed where it has one), never a list in code:
 * embeddings are not chat models and are left out.
 */
export function chatModels(): Map<ChatProvider, ChatModel[]> {
  if (!models) {
    const names = new Map(seedFile().map((l) => [`${l.provider.toUpperCase()}|${l.model_id}`, l.model_name ?? l.model_id]));
    models = new Map(CHAT_PROVIDERS.map((p) => [p, defaultLines('payg')
      .filter((l) => String(l.provider).toUpperCase() === p && l.region === 'global' && l.status !== 'deprecated' && !String(l.model).includes('embedding'))
      .map((l) => ({ id: String(l.model), name: names.get(`${p}|${String(l.model)}`) ?? String(l.model) }))]));
  }
  return models;
}

/**
 * The credential a setting points at: the tenant's active credential of `provider`, which must
 * be VALID and, when `credentialId` is given, be that one (the original never checked the
 * provider matched). 422 naming `body.credential_id` otherwise.
 */
export async function checkedCredential(wh: Warehouse, t: Tenant, provider: ChatProvider, credentialId: string | undefined): Promise<CredentialRow> {
  const active = (await activeByProvider(wh, t)).get(provider);
  if (!active) throw new ValidationError(`No active ${provider} credential: set up the integration first`, { 'body.credential_id': [`no active ${provider} credential`] });
  if (credentialId !== undefined && credentialId !== active.credential_id) {
    throw new ValidationError(`credential_id ${credentialId} is not the org's active ${provider} credential`, { 'body.credential_id': [`not the active ${provider} credential (${active.credential_id})`] });
  }
  if (active.validation_status !== 'VALID') throw new ValidationError(`The ${provider} credential is ${active.validation_status}, not VALID: validate it first`, { 'body.credential_id': [`is ${active.validation_status}`] });
  return active;
}

export function notFound(settingId: string): NotFoundError {
  return new NotFoundError(`No active chat settings ${settingId}`);
}
