import type { Scope } from '../../context/index.js';
import type { Ctx } from '../../context/index.js';
import { apiKeyAad, fingerprintOf } from './format.js';

export interface IssuedKey {
  api_key: string;
  org_api_key_id: string;
  fingerprint: string;
  scopes: Scope[];
  expires_at: string | null;
}

/**
 * The encrypted copy of a new key exists only to serve the development-only reveal. Outside
 * development none is made: one KMS call fewer per key, and no key material at rest.
 */
export async function encryptForReveal(ctx: Pick<Ctx, 'config' | 'encryptor'>, orgSlug: string, apiKey: string): Promise<Uint8Array | null> {
  if (ctx.config.environment !== 'development') return null;
  return ctx.encryptor.encrypt(apiKey, apiKeyAad(orgSlug));
}

export function issued(apiKey: string, id: string, scopes: Scope[], expiresAt: Date | null): IssuedKey {
  return { api_key: apiKey, org_api_key_id: id, fingerprint: fingerprintOf(apiKey), scopes, expires_at: expiresAt?.toISOString() ?? null };
}
