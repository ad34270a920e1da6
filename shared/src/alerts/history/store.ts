import type { InsertRow } from '../../warehouse/dml.js';
import { insertRows } from '../../warehouse/dml.js';
import type { ParamValue, Row, Warehouse } from '../../warehouse/port.js';
import type { Tenant } from '../../orgs/identity.js';
import { alertColumns, alertRef, alertSpec, CENTRAL, strOrNull, tsOf, tsOrNull } from '../tables.js';

/**
 * The one owner of `organizations.org_notification_history` SQL. Every delivery attempt is a row
 * (appended by DML, so acknowledging may update it later); reads are by days on created_at, the
 * partition column.
 */
const TABLE = 'org_notification_history' as const;

export interface HistoryEntry {
  history_id: string;
  org_slug: string;
  notification_type: 'alert' | 'test' | 'summary';
  firing_id: string | null;
  rule_id: string | null;
  summary_id: string | null;
  channel_id: string | null;
  channel_type: string | null;
  priority: string | null;
  status: 'sent' | 'failed';
  attempt: number;
  subject: string | null;
  message: string | null;
  provider_status: number | null;
  provider_response: string | null;
  error: string | null;
  created_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
}

function toEntry(r: Row): HistoryEntry {
  return {
    history_id: String(r.history_id), org_slug: String(r.org_slug), notification_type: String(r.notification_type) as HistoryEntry['notification_type'],
    firing_id: strOrNull(r.firing_id), rule_id: strOrNull(r.rule_id), summary_id: strOrNull(r.summary_id), channel_id: strOrNull(r.channel_id), channel_type: strOrNull(r.channel_type), priority: strOrNull(r.priority),
    status: String(r.status) as HistoryEntry['status'], attempt: Number(r.attempt), subject: strOrNull(r.subject), message: strOrNull(r.message),
    provider_status: r.provider_status === null || r.provider_status === undefined ? null : Number(r.provider_status), provider_response: strOrNull(r.provider_response), error: strOrNull(r.error),
    created_at: tsOf(r.created_at), acknowledged_at: tsOrNull(r.acknowledged_at), acknowledged_by: strOrNull(r.acknowledged_by),
  };
}

export async function appendHistory(wh: Warehouse, t: Tenant, entries: readonly HistoryEntry[]): Promise<void> {
  const rows: InsertRow[] = entries.map((e) => ({ ...e, org_id: t.orgId, created_at: new Date(e.created_at), acknowledged_at: null }));
  await insertRows(wh, CENTRAL, alertSpec(TABLE), rows);
}

export interface HistoryFilter { since: Date; notification_type?: string; channel_id?: string; status?: string; limit: number; offset: number }

export async function listHistory(wh: Warehouse, t: Tenant, f: HistoryFilter): Promise<{ items: HistoryEntry[]; total: number }> {
  const params: Record<string, ParamValue> = { org: t.orgSlug, org_id: t.orgId, since: f.since, limit: f.limit, offset: f.offset };
  const where = ['org_slug = @org', 'org_id = @org_id', 'created_at >= @since'];
  for (const k of ['notification_type', 'channel_id', 'status'] as const) {
    if (f[k] !== undefined) { where.push(`${k} = @${k}`); params[k] = f[k]!; }
  }
  const T = alertRef(wh, TABLE);
  const [rows, count] = await Promise.all([
    wh.query({ sql: `SELECT ${alertColumns(TABLE).filter((c) => c !== 'org_id').join(', ')} FROM ${T} WHERE ${where.join(' AND ')} ORDER BY created_at DESC, history_id LIMIT @limit OFFSET @offset`, params }),
    wh.query({ sql: `SELECT COUNT(*) AS n FROM ${T} WHERE ${where.join(' AND ')}`, params: Object.fromEntries(Object.entries(params).filter(([k]) => k !== 'limit' && k !== 'offset')) }),
  ]);
  return { items: rows.map(toEntry), total: Number(count[0]?.n ?? 0) };
}

export async function getHistory(wh: Warehouse, t: Tenant, id: string, since: Date): Promise<HistoryEntry | null> {
  const rows = await wh.query({
    sql: `SELECT ${alertColumns(TABLE).filter((c) => c !== 'org_id').join(', ')} FROM ${alertRef(wh, TABLE)} WHERE org_slug = @org AND org_id = @org_id AND history_id = @id AND created_at >= @since`,
    params: { org: t.orgSlug, org_id: t.orgId, id, since },
  });
  return rows.length ? toEntry(rows[0]!) : null;
}

/** Acknowledges one entry once (the first acknowledgement stays). Returns the rows changed. */
export async function acknowledgeHistory(wh: Warehouse, t: Tenant, id: string, since: Date, now: Date, by: string): Promise<number> {
  const { affectedRows } = await wh.execute({
    sql: `UPDATE ${alertRef(wh, TABLE)} SET acknowledged_at = @now, acknowledged_by = @by WHERE org_slug = @org AND org_id = @org_id AND history_id = @id AND created_at >= @since AND acknowledged_at IS NULL`,
    params: { org: t.orgSlug, org_id: t.orgId, id, since, now, by },
  });
  return affectedRows;
}

/** Counts of the last day for the stats: deliveries by status and alert firings, and unacknowledged alerts. */
export async function historyCounts(wh: Warehouse, t: Tenant, since: Date): Promise<{ total: number; sent: number; failed: number; alerts: number; pending_ack: number }> {
  const rows = await wh.query({
    sql: `SELECT COUNT(*) AS total, COUNTIF(status = 'sent') AS sent, COUNTIF(status = 'failed') AS failed,
                 COUNT(DISTINCT IF(notification_type = 'alert', firing_id, NULL)) AS alerts,
                 COUNTIF(notification_type = 'alert' AND status = 'sent' AND acknowledged_at IS NULL) AS pending_ack
          FROM ${alertRef(wh, TABLE)} WHERE org_slug = @org AND org_id = @org_id AND created_at >= @since`,
    params: { org: t.orgSlug, org_id: t.orgId, since },
  });
  const r = rows[0] ?? {};
  return { total: Number(r.total ?? 0), sent: Number(r.sent ?? 0), failed: Number(r.failed ?? 0), alerts: Number(r.alerts ?? 0), pending_ack: Number(r.pending_ack ?? 0) };
}

/** Firings with at least one acknowledged delivery since `since`. */
export async function acknowledgedFirings(wh: Warehouse, t: Tenant, since: Date): Promise<Set<string>> {
  const rows = await wh.query({
    sql: `SELECT DISTINCT firing_id FROM ${alertRef(wh, TABLE)} WHERE org_slug = @org AND org_id = @org_id AND created_at >= @since AND firing_id IS NOT NULL AND acknowledged_at IS NOT NULL`,
    params: { org: t.orgSlug, org_id: t.orgId, since },
  });
  return new Set(rows.map((r) => String(r.firing_id)));
}
