import { randomUUID } from 'node:crypto';
import { actorId, type Ctx } from '../../context/index.js';
import { insertRows } from '../../warehouse/dml.js';
import type { Warehouse } from '../../warehouse/port.js';
import type { Tenant } from '../identity.js';
import { findSettledProfile } from '../profiles/store.js';
import { CENTRAL, centralSpec, columnsOf, ref } from '../tables.js';

export interface AuditEntry {
  orgSlug: string;
  /**
   * The tenant (orgs/identity.ts). An org key's own actions need not say it: the key names its
   * tenant. Root and system actions on an org pass it where they hold the profile; otherwise the
   * slug's current tenant is read first (one extra read, only there).
   */
  orgId?: string;
  action: string;
  resourceType: string;
  resourceId?: string;
  /** For changes: `{ before, after }`, so the row says what changed, not only that something did. */
  details?: Record<string, unknown>;
  status?: 'SUCCESS' | 'FAILED';
  errorMessage?: string;
}

/** The one owner of `org_audit_logs` SQL. */

/** What an audit row needs from the verb's context. */
export type AuditCtx = Pick<Ctx, 'warehouse' | 'clock' | 'actor' | 'requestId'> & Partial<Pick<Ctx, 'clientRequestId' | 'clientIp' | 'userAgent'>>;

/**
 * One row in org_audit_logs, by DML INSERT (audit rows are never updated, but are read at once).
 * Write it after the change it describes has happened: a row says what happened, not what was tried.
 */
export async function writeAudit(ctx: AuditCtx, entry: AuditEntry): Promise<void> {
  const actor = ctx.actor;
  const orgId = entry.orgId
    ?? (actor.kind === 'org' && actor.orgSlug === entry.orgSlug ? actor.orgId : undefined)
    ?? (entry.orgSlug.startsWith('_') ? undefined : (await findSettledProfile(ctx.warehouse, entry.orgSlug))?.org_id);
  await insertRows(ctx.warehouse, CENTRAL, centralSpec('org_audit_logs'), [{
    audit_id: randomUUID(),
    org_slug: entry.orgSlug,
    org_id: orgId,
    api_key_id: actor.kind === 'org' ? actor.keyId : undefined,
    actor_type: actor.kind,
    actor_id: actorId(actor),
    action: entry.action,
    resource_type: entry.resourceType,
    resource_id: entry.resourceId,
    details: entry.details ? JSON.stringify(entry.details) : undefined,
    ip_address: ctx.clientIp,
    user_agent: ctx.userAgent?.slice(0, 500),
    request_id: ctx.requestId,
    client_request_id: ctx.clientRequestId,
    status: entry.status ?? 'SUCCESS',
    error_message: entry.errorMessage,
    created_at: ctx.clock(),
  }]);
}

/**
 * The audit row of a change that has already happened: written after it, and if the row cannot
 * be written the change still stands (the failure is logged, never turned into an error).
 */
export async function auditAfter(ctx: AuditCtx & Pick<Ctx, 'logger'>, entry: AuditEntry): Promise<void> {
  await writeAudit(ctx, entry).catch((err: unknown) => ctx.logger.log('ERROR', `${entry.action} done but its audit row was not written`, { request_id: ctx.requestId, error: err }));
}

let listed: string | undefined;
// Read from the schema file on first use, not at module load: a cold start that runs no query reads none.
const LISTED = (): string => (listed ??= columnsOf('org_audit_logs', ['org_slug', 'org_id', 'user_id', 'user_agent']).join(', '));

/** A listed row: the LISTED columns as the warehouse port returns them (details parsed JSON). */
export interface AuditRow {
  audit_id: string;
  api_key_id: string | null;
  actor_type: string | null;
  actor_id: string | null;
  action: string;
  resource_type: string;
  resource_id: string | null;
  details: Record<string, unknown> | null;
  ip_address: string | null;
  request_id: string | null;
  client_request_id: string | null;
  status: string;
  error_message: string | null;
  created_at: string;
}

/**
 * A page of an org's audit rows, newest first, and the total, in one round. Always bounded in
 * time: the table is partitioned by created_at, and an unbounded read scans every day.
 */
export async function listAuditRows(wh: Warehouse, q: { tenant: Tenant; from: Date; to: Date; action?: string; limit: number; offset: number }): Promise<{ rows: AuditRow[]; total: number }> {
  const where = `org_slug = @org AND org_id = @org_id AND created_at >= @from AND created_at <= @to${q.action ? ' AND action = @action' : ''}`;
  const params = { org: q.tenant.orgSlug, org_id: q.tenant.orgId, from: q.from, to: q.to, ...(q.action ? { action: q.action } : {}) };
  const [rows, count] = await Promise.all([
    wh.query({ sql: `SELECT ${LISTED()} FROM ${ref(wh, 'org_audit_logs')} WHERE ${where} ORDER BY created_at DESC, audit_id LIMIT @limit OFFSET @offset`, params: { ...params, limit: q.limit, offset: q.offset } }),
    wh.query({ sql: `SELECT COUNT(*) AS total FROM ${ref(wh, 'org_audit_logs')} WHERE ${where}`, params }),
  ]);
  return { rows: rows as unknown as AuditRow[], total: Number(count[0]?.total ?? 0) };
}
