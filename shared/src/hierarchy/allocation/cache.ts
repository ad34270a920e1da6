import type { Warehouse } from '../../warehouse/port.js';
import type { Tenant } from '../../orgs/identity.js';
import type { AllocationRule } from '../../costs/ledger/allocation.js';

/**
 * The tenant's rules in force, reused by an instance for a minute (the cost answers' own TTL):
 * a warm cost request reads them without a round-trip, so the reduction stays one statement. A
 * PUT on this instance forgets them at once; another instance sees it within the TTL, or at
 * POST /costs/{org}/cache/invalidate (as it sees a move of the tree).
 */
export const RULES_TTL_MS = 60_000;

const caches = new WeakMap<Warehouse, Map<string, { until: number; value: Promise<AllocationRule[]> }>>();

const keyOf = (t: Tenant) => `${t.orgSlug}\u0000${t.orgId}`;

export function cachedRules(wh: Warehouse, t: Tenant, load: () => Promise<AllocationRule[]>): Promise<AllocationRule[]> {
  let c = caches.get(wh);
  if (!c) caches.set(wh, (c = new Map()));
  const now = Date.now();
  const hit = c.get(keyOf(t));
  if (hit && hit.until > now) return hit.value;
  const value = load();
  c.set(keyOf(t), { until: now + RULES_TTL_MS, value });
  // A failed read is not kept: the next request tries again.
  value.catch(() => c.delete(keyOf(t)));
  return value;
}

/** Forgets an org's rules (every tenant of the slug) on this instance. */
export function forgetRules(wh: Warehouse, orgSlug: string): void {
  const c = caches.get(wh);
  if (!c) return;
  for (const k of c.keys()) if (k.startsWith(`${orgSlug}\u0000`)) c.delete(k);
}
