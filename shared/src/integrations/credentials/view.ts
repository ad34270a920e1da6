import type { ProviderDef } from '../registry.js';
import type { CredentialRow } from './store.js';

/** One provider's entry in the status list (never the credential, only its fingerprint). */
export interface IntegrationEntry {
  provider: string;
  display_name: string;
  credential_type: ProviderDef['credential_type'];
  status: 'VALID' | 'INVALID' | 'PENDING' | 'NOT_CONFIGURED';
  /** The later web app's name for `status`. */
  validation_status: 'VALID' | 'INVALID' | 'PENDING' | 'NOT_CONFIGURED';
  credential_name: string | null;
  fingerprint: string | null;
  last_validated_at: string | null;
  last_error: string | null;
  /** A service-account key's expiry as Google publishes it (9999-12-31 for a key that never expires); null for API keys or when unknown. */
  key_expires_at: string | null;
  metadata: Record<string, unknown> | null;
  created_at: string | null;
  default_x_hierarchy_entity_id: string | null;
  default_x_hierarchy_entity_name: string | null;
  default_x_hierarchy_level_code: string | null;
  default_x_hierarchy_path: string | null;
  default_x_hierarchy_path_names: string[] | null;
}

export function entry(def: ProviderDef, row: CredentialRow | undefined): IntegrationEntry {
  return {
    provider: def.canonical,
    display_name: def.display_name,
    credential_type: def.credential_type,
    status: row?.validation_status ?? 'NOT_CONFIGURED',
    validation_status: row?.validation_status ?? 'NOT_CONFIGURED',
    credential_name: row?.credential_name ?? null,
    fingerprint: row?.fingerprint ?? null,
    last_validated_at: row?.last_validated_at ?? null,
    last_error: row?.last_error ?? null,
    key_expires_at: row?.key_expires_at ?? null,
    metadata: row?.metadata ?? null,
    created_at: row?.created_at ?? null,
    default_x_hierarchy_entity_id: row?.default_x_hierarchy_entity_id ?? null,
    default_x_hierarchy_entity_name: row?.default_x_hierarchy_entity_name ?? null,
    default_x_hierarchy_level_code: row?.default_x_hierarchy_level_code ?? null,
    default_x_hierarchy_path: row?.default_x_hierarchy_path ?? null,
    default_x_hierarchy_path_names: row?.default_x_hierarchy_path_names ?? null,
  };
}
