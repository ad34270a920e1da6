import { z } from 'zod';
import { OrgSlug } from '@cloudact/shared/orgs/schemas';

/** Unknown provider names reach the verb, which answers 404 listing the providers there are. */
const ProviderName = z.string().regex(/^[A-Za-z0-9_-]{1,50}$/, 'provider must be a provider name such as openai');

export const OrgParams = z.strictObject({ org_slug: OrgSlug });
export const ProviderParams = z.strictObject({ org_slug: OrgSlug, provider: ProviderName });

/**
 * Cloud KMS encrypts at most 64 KiB of plaintext directly; a credential is kept well under that
 * (a service-account key file is about 2.3 KB), counted in UTF-8 bytes as KMS counts them.
 */
export const MAX_CREDENTIAL_BYTES = 32_768;
const Credential = z.string().min(10, 'credential must be at least 10 characters')
  .refine((s) => Buffer.byteLength(s, 'utf8') <= MAX_CREDENTIAL_BYTES, `credential must be at most ${MAX_CREDENTIAL_BYTES} bytes (UTF-8)`);
const Metadata = z.record(z.string(), z.unknown()).refine((m) => JSON.stringify(m).length <= 10_000, 'metadata must be at most 10000 characters of JSON');

/**
 * The default allocation of a provider's costs to a hierarchy entity, as the later web app's
 * setup form sends it (the hierarchy issue validates the entity; stored and returned as given).
 */
const Entity = z.string().min(1).max(200);
const DefaultHierarchy = {
  default_x_hierarchy_entity_id: Entity.nullable().optional(),
  default_x_hierarchy_entity_name: Entity.nullable().optional(),
  default_x_hierarchy_level_code: Entity.nullable().optional(),
  default_x_hierarchy_path: z.string().max(2000).nullable().optional().describe('e.g. /DEPT-CIO/PROJ-CTO/TEAM-DATA'),
  default_x_hierarchy_path_names: z.union([z.array(Entity).max(10), z.string().max(2000)]).nullable().optional()
    .transform((v) => (typeof v === 'string' ? v.split(/\s*(?:>|\/)\s*/).filter(Boolean) : v))
    .describe('The names along the path, root first; a string is split on / or >'),
};

/** `api_key` is accepted as another name of `credential` (the web app's older form sends it). */
export const SetupBody = z.strictObject({
  ...DefaultHierarchy,
  credential: Credential.optional(),
  api_key: Credential.optional(),
  credential_name: z.string().min(1).max(200).optional(),
  metadata: Metadata.optional(),
  skip_validation: z.boolean().optional().describe('Store without asking the provider (development only; 403 in production)'),
}).refine((b) => (b.credential === undefined) !== (b.api_key === undefined), 'Give the credential (or api_key), once')
  .transform(({ api_key, credential, ...rest }) => ({ ...rest, credential: (credential ?? api_key)! }));

export const UpdateBody = z.strictObject({
  ...DefaultHierarchy,
  skip_validation: z.boolean().optional().describe('With a credential: as on setup (development only). Without one nothing is checked anyway; the web app sends true with metadata'),
  credential: Credential.optional(),
  api_key: Credential.optional(),
  credential_name: z.string().min(1).max(200).optional(),
  metadata: Metadata.optional(),
}).refine((b) => !(b.credential !== undefined && b.api_key !== undefined), 'Give the credential or api_key, not both')
  .refine((b) => Object.keys(b).some((k) => k !== 'skip_validation'), 'Give credential, credential_name, metadata or a default_x_hierarchy_* field')
  .transform(({ api_key, credential, ...rest }) => ({ ...rest, ...((credential ?? api_key) !== undefined ? { credential: (credential ?? api_key)! } : {}) }));

// ---- Response bodies ----

const Status = z.enum(['VALID', 'INVALID', 'PENDING', 'NOT_CONFIGURED']);

/** POST .../setup, POST .../validate, PUT with a new credential. */
export const CheckResponse = z.strictObject({
  success: z.boolean().describe('validation_status is VALID'),
  provider: z.string(),
  credential_id: z.string().nullable(),
  validation_status: Status,
  validation_error: z.string().nullable(),
  message: z.string(),
  fingerprint: z.string().nullable().describe('e.g. sk-...a1b2; the credential itself is never returned'),
  pricing_seeded: z.boolean(),
});

export const IntegrationEntry = z.strictObject({
  provider: z.string(),
  display_name: z.string(),
  credential_type: z.enum(['API_KEY', 'SERVICE_ACCOUNT_JSON']),
  status: Status,
  validation_status: Status.describe('The same as status: the later web app reads this name'),
  credential_name: z.string().nullable(),
  fingerprint: z.string().nullable(),
  last_validated_at: z.string().nullable(),
  last_error: z.string().nullable(),
  key_expires_at: z.string().nullable().describe('A service-account key\'s expiry as Google publishes it (its certificate\'s notAfter; 9999-12-31 for a key that never expires); null for API keys or when unknown'),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  created_at: z.string().nullable(),
  default_x_hierarchy_entity_id: z.string().nullable(),
  default_x_hierarchy_entity_name: z.string().nullable(),
  default_x_hierarchy_level_code: z.string().nullable(),
  default_x_hierarchy_path: z.string().nullable(),
  default_x_hierarchy_path_names: z.array(z.string()).nullable(),
});

export const IntegrationResponse = IntegrationEntry.extend({ org_slug: z.string() });

export const IntegrationsResponse = z.strictObject({
  org_slug: z.string(),
  integrations: z.record(z.string(), IntegrationEntry).describe('Every provider of the registry, NOT_CONFIGURED when absent'),
  all_valid: z.boolean(),
  providers_configured: z.array(z.string()),
});

export const UpdateResponse = z.union([CheckResponse, IntegrationResponse]);

export const DeleteResponse = z.strictObject({ success: z.boolean(), message: z.string(), provider: z.string() });
