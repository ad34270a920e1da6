import type { Warehouse } from '../../warehouse/port.js';
import { getLiveProfile, type OrgProfile } from './store.js';

/**
 * Read-through cache of live org profiles for hot reads (the web app asks for the locale on
 * every page). A BigQuery read costs 0.3-2 s, so a warm read must not touch the warehouse.
 * Same rule as the key cache: a change made through this instance is seen here at once
 * (`forget`), other instances see it within `ttlMs`. Concurrent misses share one query. Writes
 * never read through this cache: they read the warehouse, then `forget`.
 */
export class ProfileCache {
  /** `settled` is the profile once its read resolved: a warm read then needs no promise (peek). */
  private readonly entries = new Map<string, { value: Promise<OrgProfile>; until: number; settled?: OrgProfile }>();

  constructor(private readonly wh: Warehouse, private readonly clock: () => Date, private readonly ttlMs: number, private readonly maxEntries = 10_000) {}

  get(orgSlug: string): Promise<OrgProfile> {
    const now = this.clock().getTime();
    const hit = this.entries.get(orgSlug);
    if (hit && hit.until > now) return hit.value;
    const value = getLiveProfile(this.wh, orgSlug);
    const entry: { value: Promise<OrgProfile>; until: number; settled?: OrgProfile } = { value, until: now + this.ttlMs };
    this.entries.set(orgSlug, entry);
    // A failed or missing read is not remembered: the next request asks again.
    value.then((profile) => { entry.settled = profile; }, () => { if (this.entries.get(orgSlug)?.value === value) this.entries.delete(orgSlug); });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  /** The profile when a read of it has resolved and is still fresh; undefined: ask `get`. */
  peek(orgSlug: string): OrgProfile | undefined {
    const hit = this.entries.get(orgSlug);
    return hit && hit.until > this.clock().getTime() ? hit.settled : undefined;
  }

  /** Without a promise when warm (peek), else through `get`: for the hottest reads only. */
  read(orgSlug: string): OrgProfile | Promise<OrgProfile> {
    return this.peek(orgSlug) ?? this.get(orgSlug);
  }

  forget(orgSlug: string): void {
    this.entries.delete(orgSlug);
  }

  forgetAll(): void {
    this.entries.clear();
  }
}
