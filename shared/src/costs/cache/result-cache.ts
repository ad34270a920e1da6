import type { Ctx } from '../../context/index.js';
import type { Warehouse } from '../../warehouse/port.js';
import { filtersKey, type Scope } from '../analytics/scope.js';
import { forgetRules } from '../../hierarchy/allocation/cache.js';

/** How long an instance reuses a computed answer: short, as the pipelines append rows all day. */
export const RESULT_TTL_MS = 60_000;
const MAX_ENTRIES = 500;

interface Entry { value: Promise<{ cache_hit: boolean }>; until: number; org: string }

class ResultCache {
  readonly entries = new Map<string, Entry>();
  /** Per org: an org's stats say nothing of other orgs' use of this instance. */
  readonly hits = new Map<string, number>();
  readonly misses = new Map<string, number>();
  invalidations = 0;

  /** Every entry of the org, whatever its route, range or filters (the original kept some). */
  invalidateOrg(org: string): number {
    let n = 0;
    for (const [k, e] of this.entries) if (e.org === org) { this.entries.delete(k); n++; }
    this.invalidations++;
    return n;
  }
}

/** One cache per instance and warehouse (tests build many apps in one process). */
const caches = new WeakMap<Warehouse, ResultCache>();

function cacheOf(wh: Warehouse): ResultCache {
  let c = caches.get(wh);
  if (!c) caches.set(wh, (c = new ResultCache()));
  return c;
}

/**
 * Answers from this instance's cache when the same org, view, resolved range ("today" and the
 * currency included) and filters were computed within the TTL; concurrent misses share one
 * computation. A failed computation is not remembered. `fresh` skips the cached answer and
 * stores the new one in its place.
 */
export async function cachedView<T extends { cache_hit: boolean }>(ctx: Pick<Ctx, 'warehouse' | 'clock'>, scope: Scope, view: string, extra: unknown, compute: () => Promise<T>, opts: { fresh?: boolean } = {}): Promise<T> {
  const cache = cacheOf(ctx.warehouse);
  const key = JSON.stringify([scope.orgSlug, scope.orgId, view, scope.start, scope.end, scope.today, scope.currency, scope.timeZone, ...filtersKey(scope), extra]);
  const now = ctx.clock().getTime();
  // clear_cache=true (the web app's refresh): this answer is computed anew and replaces the entry
  // (the tenant's key, as every entry; other entries of the org stay).
  if (opts.fresh) cache.entries.delete(key);
  const hit = cache.entries.get(key);
  if (hit && hit.until > now) {
    cache.hits.set(scope.orgSlug, (cache.hits.get(scope.orgSlug) ?? 0) + 1);
    return { ...((await hit.value) as T), cache_hit: true };
  }
  cache.misses.set(scope.orgSlug, (cache.misses.get(scope.orgSlug) ?? 0) + 1);
  const value = compute();
  cache.entries.set(key, { value, until: now + RESULT_TTL_MS, org: scope.orgSlug });
  value.catch(() => { if (cache.entries.get(key)?.value === value) cache.entries.delete(key); });
  while (cache.entries.size > MAX_ENTRIES) cache.entries.delete(cache.entries.keys().next().value!);
  return value;
}

export function cacheStats(ctx: Pick<Ctx, 'warehouse' | 'clock'>, orgSlug: string) {
  const cache = cacheOf(ctx.warehouse);
  const now = ctx.clock().getTime();
  const own = [...cache.entries.values()].filter((e) => e.until > now && e.org === orgSlug).length;
  const hits = cache.hits.get(orgSlug) ?? 0;
  const misses = cache.misses.get(orgSlug) ?? 0;
  return {
    org_entries: own,
    // Kept for the web app's field list; only the org's own entries (other orgs are not its business).
    total_entries: own,
    hits,
    misses,
    hit_rate: hits + misses === 0 ? 0 : Math.round((hits / (hits + misses)) * 10_000) / 100,
    ttl_seconds: RESULT_TTL_MS / 1000,
    max_entries: MAX_ENTRIES,
  };
}

export function invalidateOrgCache(ctx: Pick<Ctx, 'warehouse'>, orgSlug: string): number {
  forgetRules(ctx.warehouse, orgSlug);
  return cacheOf(ctx.warehouse).invalidateOrg(orgSlug);
}
