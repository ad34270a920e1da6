import type { ProviderDef } from '../registry.js';
import type { CredentialRow } from './store.js';

/** One provider's entry in the status list (never the credential, only its fingerprint). */
export interface IntegrationEntry {
  provider: string;
  display_name: string;
  credential_type: ProviderDef['credential_type'];
  status: 'VALID' | 'INVALID' | 'PENDING' | 'NOT_CONFIGURED';
  credential_name: string | null;
  fingerprint: string | null;
  last_validated_at: string | null;
  last_error: string | null;
  metadata: Record<string, unknown> | null;
  created_at: string | null;
}

export function entry(def: ProviderDef, row: CredentialRow | undefined): IntegrationEntry {
  return {
    provider: def.canonical,
    display_name: def.display_name,
    credential_type: def.credential_type,
    status: row?.validation_status ?? 'NOT_CONFIGURED',
    credential_name: row?.credential_name ?? null,
    fingerprint: row?.fingerprint ?? null,
    last_validated_at: row?.last_validated_at ?? null,
    last_error: row?.last_error ?? null,
    metadata: row?.metadata ?? null,
    created_at: row?.created_at ?? null,
  };
}
