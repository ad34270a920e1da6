import { z } from 'zod';
import { CHAT_PROVIDERS } from '@cloudact/shared/integrations/chat-settings/model';
import { OrgParams } from './schemas.js';

/** The in-app assistant's settings: /chat-settings/{org}... (the original's field names). */

const Provider = z.string().transform((s) => s.toUpperCase()).pipe(z.enum(CHAT_PROVIDERS)).describe('OPENAI | ANTHROPIC | GEMINI | DEEPSEEK (any case)');
const ModelId = z.string().regex(/^[a-zA-Z0-9._:/-]{1,200}$/, 'model_id must be a model id such as gpt-4o');
const Id = z.string().regex(/^[A-Za-z0-9-]{1,100}$/, 'must be an id');

export const SettingParams = OrgParams.extend({ setting_id: Id });

const tuning = {
  model_name: z.string().min(1).max(200).nullable().optional(),
  temperature: z.number().min(0).max(2).optional().describe('0-2 (0.7)'),
  max_tokens: z.number().int().min(256).max(32768).optional().describe('256-32768 (4096)'),
  include_org_context: z.boolean().optional(),
  enable_memory: z.boolean().optional(),
  max_history_messages: z.number().int().min(0).max(200).optional().describe('0-200 (50)'),
  system_prompt_extra: z.string().max(2000).nullable().optional(),
};

export const SaveChatSettingsBody = z.strictObject({
  provider: Provider,
  credential_id: Id.optional().describe('The org\'s active VALID credential of the provider; that one when absent'),
  model_id: ModelId,
  ...tuning,
});

export const UpdateChatSettingsBody = z.strictObject({ provider: Provider.optional(), credential_id: Id.optional(), model_id: ModelId.optional(), ...tuning });

export const ValidateKeyBody = z.strictObject({ provider: Provider, credential_id: Id.optional(), model_id: ModelId.optional() });

export const ChatSettings = z.strictObject({
  setting_id: z.string(), org_slug: z.string(), provider: z.string().describe('OPENAI | ANTHROPIC | GEMINI | DEEPSEEK'), credential_id: z.string(), model_id: z.string(), model_name: z.string().nullable(),
  temperature: z.number(), max_tokens: z.number().int(), include_org_context: z.boolean(), enable_memory: z.boolean(), max_history_messages: z.number().int(),
  system_prompt_extra: z.string().nullable(), is_active: z.boolean(), configured_by: z.string().nullable(), created_at: z.string(), updated_at: z.string().nullable(), updated_by: z.string().nullable(),
});

export const ChatProviders = z.strictObject({
  org_slug: z.string(),
  providers: z.array(z.strictObject({
    provider: z.enum(CHAT_PROVIDERS), models: z.array(z.strictObject({ id: z.string(), name: z.string() })),
    has_credential: z.boolean(), credential_id: z.string().nullable(), validation_status: z.string().nullable(),
  })),
});

export const ValidateKeyAnswer = z.strictObject({
  valid: z.boolean(), provider: z.enum(CHAT_PROVIDERS), model_id: z.string().nullable(), credential_id: z.string().nullable(),
  message: z.string().optional(), error: z.string().optional(),
});
