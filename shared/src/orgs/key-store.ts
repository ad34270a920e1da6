import type { OrgKeyVerifier, OrgStatus, Scope, VerifiedOrgKey } from '../auth/principal.js';
import type { Logger } from '../logger.js';
import type { Warehouse } from '../warehouse/port.js';
import { hashOrgApiKey, orgOfKey } from './keys.js';
import { ref } from './tables.js';

interface KeyRecord {
  keyId: string;
  orgSlug: string;
  scopes: Scope[];
  isActive: boolean;
  expiresAt: number | null;
  orgStatus: OrgStatus;
}

export interface KeyStoreOptions {
  ttlMs: number;
  flushMs: number;
  logger: Logger;
  /** Unknown keys are remembered briefly so a flood of bad keys does not become a flood of queries. */
  negativeTtlMs?: number;
  maxEntries?: number;
}

/**
 * Verifies org API keys against `org_api_keys` joined with the org's status, caching the answer
 * per instance for `ttlMs`, so a warm request spends no warehouse round-trip on auth. Expiry is
 * checked on every call against the cached `expires_at`. Revocations and status changes made
 * through this instance call `forgetKey`/`forgetOrg` and apply at once here; other instances see
 * them within the TTL. `last_used_at` is written in one batched UPDATE every `flushMs`, never on
 * the request path.
 */
export class OrgKeyStore implements OrgKeyVerifier {
  private readonly cache = new Map<string, { record: KeyRecord | null; until: number }>();
  private readonly used = new Map<string, Date>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly wh: Warehouse, private readonly clock: () => Date, private readonly options: KeyStoreOptions) {
    this.timer = setInterval(() => void this.flushUsage(), options.flushMs);
    this.timer.unref();
  }

  async verify(apiKey: string): Promise<VerifiedOrgKey | null> {
    const orgSlug = orgOfKey(apiKey);
    if (!orgSlug) return null;
    const hash = hashOrgApiKey(apiKey);
    const now = this.clock();
    let hit = this.cache.get(hash);
    if (!hit || hit.until <= now.getTime()) {
      const record = await this.lookup(hash, orgSlug);
      hit = { record, until: now.getTime() + (record ? this.options.ttlMs : (this.options.negativeTtlMs ?? 5000)) };
      this.remember(hash, hit);
    }
    const r = hit.record;
    if (!r || !r.isActive || (r.expiresAt !== null && r.expiresAt <= now.getTime())) return null;
    this.used.set(r.keyId, now);
    return { orgSlug: r.orgSlug, keyId: r.keyId, scopes: r.scopes, orgStatus: r.orgStatus };
  }

  forgetKey(keyHash: string): void {
    this.cache.delete(keyHash);
  }

  forgetOrg(orgSlug: string): void {
    for (const [hash, entry] of this.cache) if (entry.record?.orgSlug === orgSlug) this.cache.delete(hash);
  }

  /** Writes `last_used_at` for keys used since the last flush. Returns how many were written. */
  async flushUsage(): Promise<number> {
    if (!this.used.size) return 0;
    const batch = new Map(this.used);
    this.used.clear();
    const latest = new Date(Math.max(...[...batch.values()].map((d) => d.getTime())));
    try {
      await this.wh.execute({
        sql: `UPDATE ${ref(this.wh, 'org_api_keys')} SET last_used_at = @at WHERE org_api_key_id IN UNNEST(@ids)`,
        params: { at: latest, ids: [...batch.keys()] },
        types: { ids: { array: 'STRING' } },
      });
      return batch.size;
    } catch (err) {
      // Usage stamps are best-effort: put them back for the next flush instead of failing anything.
      for (const [id, at] of batch) if (!this.used.has(id)) this.used.set(id, at);
      this.options.logger.log('WARNING', 'org key usage flush failed', { error: err });
      return 0;
    }
  }

  close(): void {
    clearInterval(this.timer);
  }

  private remember(hash: string, entry: { record: KeyRecord | null; until: number }): void {
    this.cache.delete(hash);
    this.cache.set(hash, entry);
    const max = this.options.maxEntries ?? 10_000;
    while (this.cache.size > max) this.cache.delete(this.cache.keys().next().value!);
  }

  private async lookup(hash: string, orgSlug: string): Promise<KeyRecord | null> {
    const [row] = await this.wh.query({
      sql: `SELECT k.org_api_key_id, k.org_slug, k.scopes, k.is_active, k.expires_at, p.status AS org_status
            FROM ${ref(this.wh, 'org_api_keys')} AS k
            JOIN ${ref(this.wh, 'org_profiles')} AS p ON p.org_slug = k.org_slug
            WHERE k.org_slug = @org AND k.org_api_key_hash = @hash
            LIMIT 1`,
      params: { org: orgSlug, hash },
    });
    if (!row) return null;
    return {
      keyId: String(row.org_api_key_id),
      orgSlug: String(row.org_slug),
      scopes: (row.scopes as Scope[] | null) ?? [],
      isActive: row.is_active === true,
      expiresAt: row.expires_at ? Date.parse(String(row.expires_at)) : null,
      orgStatus: String(row.org_status) as OrgStatus,
    };
  }
}
