import { ValidationError } from '../../errors.js';
import { parseServiceAccount, type ServiceAccount } from '../check-service-account.js';
import type { ProviderDef } from '../registry.js';
import type { Tenant } from '../../orgs/identity.js';

/**
 * Associated data binding a ciphertext to its tenant and provider: moved to another org's row,
 * or read by the next tenant of a re-used slug, it does not decrypt.
 */
export function credentialAad(t: Tenant, canonical: string): string {
  return `org:${t.orgSlug}:${t.orgId}:integration:${canonical}`;
}

/**
 * What credentials were bound to before they named their tenant. Only tried for a row the
 * tenant filter already gave to this tenant (orgs/identity-backfill.ts gives a legacy row a
 * tenant only when it was written in that tenant's life), so it cannot open an earlier life's.
 */
export function legacyCredentialAad(orgSlug: string, canonical: string): string {
  return `org:${orgSlug}:integration:${canonical}`;
}

/** What screens show: `sk-...a1b2`; nothing longer of the key leaves the service. */
export function apiKeyFingerprint(key: string): string {
  return `${key.slice(0, 3)}...${key.slice(-4)}`;
}

export type ParsedCredential = { kind: 'api_key'; key: string; fingerprint: string } | { kind: 'service_account'; sa: ServiceAccount; fingerprint: string };

/** The format checks that need no network: prefix and shape for keys, the JSON's fields for service accounts (422 on failure). */
export function parseCredential(def: ProviderDef, credential: string): ParsedCredential {
  if (def.credential_type === 'SERVICE_ACCOUNT_JSON') {
    const sa = parseServiceAccount(credential);
    return { kind: 'service_account', sa, fingerprint: `${sa.client_email.split('@')[0]!.slice(0, 4)}...@${sa.project_id}` };
  }
  const key = credential.trim();
  const fail = (m: string): never => { throw new ValidationError(m, { 'body.credential': [m] }); };
  if (/\s/.test(key)) fail('An API key has no spaces or line breaks');
  if (key.length < 10) fail('An API key is at least 10 characters');
  if (def.key_prefixes.length && !def.key_prefixes.some((p) => key.startsWith(p))) fail(`A ${def.display_name} API key starts with ${def.key_prefixes.join(' or ')}`);
  return { kind: 'api_key', key, fingerprint: apiKeyFingerprint(key) };
}
