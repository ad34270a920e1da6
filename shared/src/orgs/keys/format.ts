import { hash, randomBytes } from 'node:crypto';
import { ORG_SLUG_PATTERN } from '../tables.js';

/**
 * Org API keys look like `sk_{org_slug}_{32 url-safe random chars}` (24 random bytes). Only the
 * SHA-256 hash is used to check them; an encrypted copy exists for the development-only reveal;
 * the fingerprint (prefix + last 4) is what screens show.
 */
const SECRET_CHARS = 32;

export function newOrgApiKey(orgSlug: string): string {
  return `sk_${orgSlug}_${randomBytes(24).toString('base64url')}`;
}

export function hashOrgApiKey(key: string): string {
  // One-shot hash: under half of createHash().update().digest()'s cost, paid by every authenticated request.
  return hash('sha256', key, 'hex');
}

export function fingerprintOf(key: string): string {
  return `${key.slice(0, key.length - SECRET_CHARS)}...${key.slice(-4)}`;
}

/** The org a key names, so its lookup can use the org clustering column; undefined if malformed. */
export function orgOfKey(key: string): string | undefined {
  if (!key.startsWith('sk_') || key.length < 3 + 3 + 1 + SECRET_CHARS) return undefined;
  if (key[key.length - SECRET_CHARS - 1] !== '_') return undefined;
  const slug = key.slice(3, key.length - SECRET_CHARS - 1);
  return ORG_SLUG_PATTERN.test(slug) && /^[A-Za-z0-9_-]+$/.test(key.slice(-SECRET_CHARS)) ? slug : undefined;
}

/** Associated data binding an encrypted key to its org: a copy moved to another org fails to decrypt. */
export function apiKeyAad(orgSlug: string): string {
  return `org:${orgSlug}:org-api-key`;
}

export const ALL_SCOPES = ['read', 'write', 'admin'] as const;
