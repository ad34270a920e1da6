import type { OrgKeyVerifier, VerifiedOrgKey } from '../../context/index.js';
import type { Warehouse } from '../../warehouse/port.js';
import { hashOrgApiKey, orgOfKey } from './format.js';
import { findForAuth, type KeyRecord } from './store.js';

export interface VerifierOptions {
  ttlMs: number;
  /** Unknown keys are remembered this long, so repeating a bad key does not repeat a query. */
  negativeTtlMs: number;
  maxEntries?: number;
}

/**
 * Verifies org API keys (one query: keys joined with the org's status and key epoch, see
 * keys/store.ts), caching the answer per instance for `ttlMs`, so a warm request spends no
 * warehouse round-trip on auth. Expiry is checked on every call against the cached `expires_at`.
 * Changes made through this instance call `forgetKey`/`forgetOrg` and apply at once here; other
 * instances see them within the TTL. A flood of *different* unknown keys is bounded by the
 * failed-authentication limit per client address, not by this cache (auth/failure-limit.ts).
 * Usage is not written here: the request log line carries the key id (see keys/usage.ts).
 */
export class CachedKeyVerifier implements OrgKeyVerifier {
  private readonly cache = new Map<string, { record: KeyRecord | null; until: number }>();
  private readonly pending = new Map<string, Promise<KeyRecord | null>>();

  constructor(private readonly wh: Warehouse, private readonly clock: () => Date, private readonly options: VerifierOptions) {}

  verify(apiKey: string): VerifiedOrgKey | null | Promise<VerifiedOrgKey | null> {
    const orgSlug = orgOfKey(apiKey);
    if (!orgSlug) return null;
    const hash = hashOrgApiKey(apiKey);
    const now = this.clock().getTime();
    const hit = this.cache.get(hash);
    // A warm key answers without a promise: deployed, each one runs under functions-framework's
    // domain and costs several times what it does elsewhere (http/exchange.ts).
    if (hit && hit.until > now) return usable(hit.record, now);
    return this.lookupOnce(hash, orgSlug).then((record) => {
      this.remember(hash, { record, until: now + (record ? this.options.ttlMs : this.options.negativeTtlMs) });
      return usable(record, now);
    });
  }

  forgetKey(keyHash: string): void {
    this.cache.delete(keyHash);
  }

  forgetOrg(orgSlug: string): void {
    for (const [hash, entry] of this.cache) if (entry.record?.orgSlug === orgSlug) this.cache.delete(hash);
  }

  /** After the central tables were recreated: nothing cached describes them any more. */
  forgetAll(): void {
    this.cache.clear();
  }

  /** Concurrent first requests with one key share one query. */
  private lookupOnce(hash: string, orgSlug: string): Promise<KeyRecord | null> {
    const running = this.pending.get(hash);
    if (running) return running;
    const p = findForAuth(this.wh, orgSlug, hash).finally(() => this.pending.delete(hash));
    this.pending.set(hash, p);
    return p;
  }

  private remember(hash: string, entry: { record: KeyRecord | null; until: number }): void {
    this.cache.delete(hash);
    this.cache.set(hash, entry);
    const max = this.options.maxEntries ?? 10_000;
    while (this.cache.size > max) this.cache.delete(this.cache.keys().next().value!);
  }
}

function usable(r: KeyRecord | null, now: number): VerifiedOrgKey | null {
  if (!r || !r.usable || (r.expiresAt !== null && r.expiresAt <= now)) return null;
  return { orgSlug: r.orgSlug, ...(r.orgId ? { orgId: r.orgId } : {}), keyId: r.keyId, scopes: r.scopes, orgStatus: r.orgStatus, plan: r.plan };
}
