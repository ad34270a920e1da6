import { randomUUID } from 'node:crypto';
import type { InsertRow } from '../../warehouse/dml.js';
import type { ParamType, ParamValue, Warehouse } from '../../warehouse/port.js';
import type { Tenant } from '../../orgs/identity.js';
import { alertColumns, alertRef, selectParams, tsOf } from '../tables.js';

/**
 * The one owner of `organizations.org_alert_firings` SQL: one row per firing (its dedupe key:
 * rule × period × threshold) and the tenant's lock row. Whether a rule fires is decided by ONE
 * MERGE (fireOnce) that inserts the firing only while no firing has its key and none of its rule
 * is inside the cooldown, and bumps the lock row in the same statement. Insert-only statements
 * never conflict on BigQuery (two "insert if absent" both insert); the lock row's UPDATE makes two
 * concurrent firings of one tenant conflict, and the loser's rerun sees the winner's row and
 * inserts nothing. Its affected-row count says who delivers.
 */
const TABLE = 'org_alert_firings' as const;
const LOCK = '-lock-';
const cols = () => alertColumns(TABLE);

export async function ensureFiringsLock(wh: Warehouse, t: Tenant, now: Date): Promise<void> {
  const T = alertRef(wh, TABLE);
  const params: Record<string, ParamValue> = { org_id: t.orgId };
  const types: Record<string, ParamType> = {};
  const lock: InsertRow = { firing_id: `${LOCK}${randomUUID()}`, kind: 'lock', org_slug: t.orgSlug, org_id: t.orgId, fired_at: now, revision: 0, trigger_reason: 'lock row (see shared/src/alerts/firings/store.ts)' };
  await wh.execute({
    sql: `INSERT INTO ${T} (${cols().join(', ')}) SELECT ${cols().join(', ')} FROM (SELECT ${selectParams(TABLE, lock, 'l_', params, types)}) AS x
          WHERE NOT EXISTS (SELECT 1 FROM ${T} AS m WHERE m.org_id = @org_id AND m.kind = 'lock')`,
    params, types,
  });
}

export interface Firing {
  firing_id: string;
  rule_id: string;
  dedupe_key: string;
  fired_at: Date;
  /** Firings of the rule after this instant hold it back (its cooldown). */
  cooldown_since: Date;
  trigger_reason: string;
  evaluation_data: Record<string, unknown>;
}

/**
 * ONE MERGE: records the firing, or nothing when its key fired before, the rule fired within its
 * cooldown, or the tenant has no lock row yet. Returns 'fired', 'held' (key or cooldown) or
 * 'no-lock'.
 */
export async function fireOnce(wh: Warehouse, t: Tenant, f: Firing): Promise<'fired' | 'held' | 'no-lock'> {
  const T = alertRef(wh, TABLE);
  const c = cols();
  const params: Record<string, ParamValue> = { org_id: t.orgId, key: f.dedupe_key, rule: f.rule_id, since: f.cooldown_since, now: f.fired_at };
  const types: Record<string, ParamType> = {};
  const row: InsertRow = { firing_id: f.firing_id, kind: 'firing', org_slug: t.orgSlug, org_id: t.orgId, rule_id: f.rule_id, dedupe_key: f.dedupe_key, fired_at: f.fired_at, revision: 0, trigger_reason: f.trigger_reason, evaluation_data: JSON.stringify(f.evaluation_data) };
  // Every lock row of the tenant is bumped (two first firings may each have made one), so any two firings share a row.
  const ok = `EXISTS (SELECT 1 FROM ${T} AS k WHERE k.org_id = @org_id AND k.kind = 'lock')
    AND NOT EXISTS (SELECT 1 FROM ${T} AS d WHERE d.org_id = @org_id AND d.kind = 'firing' AND d.dedupe_key = @key)
    AND NOT EXISTS (SELECT 1 FROM ${T} AS r WHERE r.org_id = @org_id AND r.kind = 'firing' AND r.rule_id = @rule AND r.fired_at > @since)`;
  const { affectedRows } = await wh.execute({
    sql: `MERGE INTO ${T} AS t
          USING (
            SELECT 'lock' AS src, ${c.map((x) => `l.${x}`).join(', ')} FROM ${T} AS l WHERE l.org_id = @org_id AND l.kind = 'lock' AND ${ok}
            UNION ALL
            SELECT 'new' AS src, ${c.map((x) => `g.${x}`).join(', ')} FROM (SELECT ${selectParams(TABLE, row, 'f_', params, types)}) AS g WHERE ${ok}
          ) AS s
          ON t.firing_id = s.firing_id AND t.org_id = @org_id
          WHEN MATCHED AND s.src = 'lock' THEN UPDATE SET revision = t.revision + 1, fired_at = @now
          WHEN NOT MATCHED AND s.src = 'new' THEN INSERT (${c.join(', ')}) VALUES (${c.map((x) => `s.${x}`).join(', ')})`,
    params, types,
  });
  if (affectedRows > 0) return 'fired';
  const lock = await wh.query({ sql: `SELECT 1 AS x FROM ${T} WHERE org_id = @org_id AND kind = 'lock' LIMIT 1`, params: { org_id: t.orgId } });
  return lock.length ? 'held' : 'no-lock';
}

/** After a MERGE whose answer was lost: whether this firing's row is there (it committed). */
export async function firingLanded(wh: Warehouse, t: Tenant, firingId: string): Promise<boolean> {
  const rows = await wh.query({ sql: `SELECT 1 AS x FROM ${alertRef(wh, TABLE)} WHERE org_id = @org_id AND firing_id = @id`, params: { org_id: t.orgId, id: firingId } });
  return rows.length > 0;
}

/** Per rule: the last firing and the firings since `since` (the org's local midnight). */
export async function firingStats(wh: Warehouse, t: Tenant, since: Date): Promise<Map<string, { last_triggered_at: string; trigger_count_today: number }>> {
  const rows = await wh.query({
    sql: `SELECT rule_id, MAX(fired_at) AS last_at, COUNTIF(fired_at >= @since) AS today FROM ${alertRef(wh, TABLE)}
          WHERE org_slug = @org AND org_id = @org_id AND kind = 'firing' GROUP BY rule_id`,
    params: { org: t.orgSlug, org_id: t.orgId, since },
  });
  return new Map(rows.map((r) => [String(r.rule_id), { last_triggered_at: tsOf(r.last_at), trigger_count_today: Number(r.today) }]));
}

/** The rule's firings of [since, before] that have no escalation yet (an escalation is a firing keyed `esc|<firing_id>`). */
export async function firingsToEscalate(wh: Warehouse, t: Tenant, ruleId: string, window: { since: Date; before: Date }): Promise<{ firing_id: string; fired_at: string; trigger_reason: string | null }[]> {
  const T = alertRef(wh, TABLE);
  const rows = await wh.query({
    sql: `SELECT f.firing_id, f.fired_at, f.trigger_reason FROM ${T} AS f
          WHERE f.org_slug = @org AND f.org_id = @org_id AND f.kind = 'firing' AND f.rule_id = @rule AND f.fired_at >= @since AND f.fired_at <= @before
            AND NOT EXISTS (SELECT 1 FROM ${T} AS e WHERE e.org_id = @org_id AND e.kind = 'firing' AND e.dedupe_key = CONCAT('esc|', f.firing_id))
          ORDER BY f.fired_at`,
    params: { org: t.orgSlug, org_id: t.orgId, rule: ruleId, since: window.since, before: window.before },
  });
  return rows.map((r) => ({ firing_id: String(r.firing_id), fired_at: tsOf(r.fired_at), trigger_reason: r.trigger_reason === null || r.trigger_reason === undefined ? null : String(r.trigger_reason) }));
}

/** The firings of the given rule ids since `since`, oldest first (a batch reads its rule's firings and its own `#batch` rows). */
export async function firingsOfRules(wh: Warehouse, t: Tenant, ruleIds: readonly string[], since: Date): Promise<{ firing_id: string; rule_id: string; fired_at: string; trigger_reason: string | null; evaluation_data: string | null }[]> {
  const rows = await wh.query({
    sql: `SELECT firing_id, rule_id, fired_at, trigger_reason, evaluation_data FROM ${alertRef(wh, TABLE)}
          WHERE org_slug = @org AND org_id = @org_id AND kind = 'firing' AND rule_id IN UNNEST(@rules) AND fired_at >= @since
          ORDER BY fired_at, firing_id`,
    params: { org: t.orgSlug, org_id: t.orgId, rules: [...ruleIds], since },
    types: { rules: { array: 'STRING' } },
  });
  const str = (v: unknown) => (v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v));
  return rows.map((r) => ({ firing_id: String(r.firing_id), rule_id: String(r.rule_id), fired_at: tsOf(r.fired_at), trigger_reason: str(r.trigger_reason), evaluation_data: str(r.evaluation_data) }));
}
