import type { InsertRow } from '../../warehouse/dml.js';
import { insertRows } from '../../warehouse/dml.js';
import type { Row, Warehouse } from '../../warehouse/port.js';
import type { Tenant } from '../../orgs/identity.js';
import { alertColumns, alertRef, alertSpec, CENTRAL, fromJson, replaceInPlace, strOrNull, tsOf, tsOrNull } from '../tables.js';
import type { Section, Summary } from './fields.js';

/**
 * The one owner of `organizations.org_notification_summaries` SQL: one row per digest, changed in
 * place by DML. A scheduled send is decided by ONE conditional UPDATE (claimDue): it moves
 * next_scheduled_at on only while it still holds the instant the sender read, so of two runs that
 * read the same due digest exactly one gets an affected row and sends.
 */
const TABLE = 'org_notification_summaries' as const;
const cols = () => alertColumns(TABLE);

function toSummary(r: Row): Summary {
  return {
    summary_id: String(r.summary_id), org_slug: String(r.org_slug), name: String(r.name), description: strOrNull(r.description),
    summary_type: String(r.summary_type) as Summary['summary_type'], is_active: Boolean(r.is_active), schedule_cron: String(r.schedule_cron), schedule_timezone: String(r.schedule_timezone),
    notify_channel_ids: fromJson<string[]>(r.notify_channel_ids, []), include_sections: fromJson<Section[]>(r.include_sections, []), top_n_items: Number(r.top_n_items),
    currency_display: strOrNull(r.currency_display), provider_filter: fromJson<string[]>(r.provider_filter, []), service_filter: fromJson<string[]>(r.service_filter, []),
    hierarchy_entity_id: strOrNull(r.hierarchy_entity_id), last_sent_at: tsOrNull(r.last_sent_at), next_scheduled_at: tsOrNull(r.next_scheduled_at), last_send_id: strOrNull(r.last_send_id),
    created_at: tsOf(r.created_at), created_by: strOrNull(r.created_by), updated_at: tsOf(r.updated_at), updated_by: strOrNull(r.updated_by),
  };
}

function summaryRow(t: Tenant, s: Summary): InsertRow {
  return {
    ...s, org_slug: t.orgSlug, org_id: t.orgId,
    notify_channel_ids: JSON.stringify(s.notify_channel_ids), include_sections: JSON.stringify(s.include_sections),
    provider_filter: JSON.stringify(s.provider_filter), service_filter: JSON.stringify(s.service_filter),
    last_sent_at: s.last_sent_at ? new Date(s.last_sent_at) : null, next_scheduled_at: s.next_scheduled_at ? new Date(s.next_scheduled_at) : null,
    created_at: new Date(s.created_at), updated_at: new Date(s.updated_at),
  };
}

const tenantWhere = 'org_slug = @org AND org_id = @org_id';

export async function listSummaries(wh: Warehouse, t: Tenant): Promise<Summary[]> {
  const rows = await wh.query({ sql: `SELECT ${cols().join(', ')} FROM ${alertRef(wh, TABLE)} WHERE ${tenantWhere} ORDER BY created_at, summary_id`, params: { org: t.orgSlug, org_id: t.orgId } });
  return rows.map(toSummary);
}

export async function getSummary(wh: Warehouse, t: Tenant, id: string): Promise<Summary | null> {
  const rows = await wh.query({ sql: `SELECT ${cols().join(', ')} FROM ${alertRef(wh, TABLE)} WHERE ${tenantWhere} AND summary_id = @id`, params: { org: t.orgSlug, org_id: t.orgId, id } });
  return rows.length ? toSummary(rows[0]!) : null;
}

export async function insertSummary(wh: Warehouse, t: Tenant, s: Summary): Promise<void> {
  await insertRows(wh, CENTRAL, alertSpec(TABLE), [summaryRow(t, s)]);
}

/** Replaces the stored digest's settings (never its id, tenant, creation or last send). Returns the rows changed. */
export function replaceSummary(wh: Warehouse, t: Tenant, s: Summary): Promise<number> {
  return replaceInPlace(wh, TABLE, t, { column: 'summary_id', value: s.summary_id }, summaryRow(t, s), ['created_at', 'created_by', 'last_sent_at', 'last_send_id']);
}

export async function deleteSummary(wh: Warehouse, t: Tenant, id: string): Promise<number> {
  const { affectedRows } = await wh.execute({ sql: `DELETE FROM ${alertRef(wh, TABLE)} WHERE ${tenantWhere} AND summary_id = @id`, params: { org: t.orgSlug, org_id: t.orgId, id } });
  return affectedRows;
}

/**
 * Claims a due scheduled send: moves next_scheduled_at from `due` (what the sender read) to
 * `next` and records the send instant, only while the digest is active and still due at `due`.
 * 1: this caller sends; 0: another run claimed it, or it was changed or paused meanwhile.
 */
export async function claimDue(wh: Warehouse, t: Tenant, id: string, due: Date, next: Date, now: Date, token: string): Promise<number> {
  const { affectedRows } = await wh.execute({
    sql: `UPDATE ${alertRef(wh, TABLE)} SET next_scheduled_at = @next, last_sent_at = @now, last_send_id = @token WHERE ${tenantWhere} AND summary_id = @id AND is_active AND next_scheduled_at = @due`,
    params: { org: t.orgSlug, org_id: t.orgId, id, due, next, now, token },
  });
  return affectedRows;
}

/** Whether the claim with this token landed (read back when its answer was lost). */
export async function claimLanded(wh: Warehouse, t: Tenant, id: string, token: string): Promise<boolean> {
  const rows = await wh.query({ sql: `SELECT 1 AS landed FROM ${alertRef(wh, TABLE)} WHERE ${tenantWhere} AND summary_id = @id AND last_send_id = @token`, params: { org: t.orgSlug, org_id: t.orgId, id, token } });
  return rows.length > 0;
}

/** Records a send-now (the schedule stays as it is). */
export async function markSent(wh: Warehouse, t: Tenant, id: string, now: Date): Promise<number> {
  const { affectedRows } = await wh.execute({
    sql: `UPDATE ${alertRef(wh, TABLE)} SET last_sent_at = @now WHERE ${tenantWhere} AND summary_id = @id`,
    params: { org: t.orgSlug, org_id: t.orgId, id, now },
  });
  return affectedRows;
}

/**
 * The orgs with an active digest due at `now`, across tenants in one read: what a digests-only
 * run (the 15-minute scheduler job) walks, instead of every org. Returns slugs; each org's own
 * run reads its digests under its tenant again.
 */
export async function orgsWithDueSummaries(wh: Warehouse, now: Date): Promise<string[]> {
  const rows = await wh.query({ sql: `SELECT DISTINCT org_slug FROM ${alertRef(wh, TABLE)} WHERE is_active AND next_scheduled_at <= @now ORDER BY org_slug`, params: { now } });
  return rows.map((r) => String(r.org_slug));
}
