import { randomUUID } from 'node:crypto';
import { actorId, type Ctx } from '../context.js';
import { insertRows } from '../warehouse/dml.js';
import { CENTRAL, centralSpec } from './tables.js';

export interface AuditEntry {
  orgSlug: string;
  action: string;
  resourceType: string;
  resourceId?: string;
  /** For changes: `{ before, after }`, so the row says what changed, not only that something did. */
  details?: Record<string, unknown>;
  status?: 'SUCCESS' | 'FAILED';
  errorMessage?: string;
}

/** What an audit row needs from the verb's context. */
export type AuditCtx = Pick<Ctx, 'warehouse' | 'clock' | 'actor' | 'requestId'> & Partial<Pick<Ctx, 'clientRequestId' | 'clientIp' | 'userAgent'>>;

/**
 * One row in org_audit_logs, by DML INSERT (audit rows are never updated, but are read at once).
 * Write it after the change it describes has happened: a row says what happened, not what was tried.
 */
export async function writeAudit(ctx: AuditCtx, entry: AuditEntry): Promise<void> {
  const actor = ctx.actor;
  await insertRows(ctx.warehouse, CENTRAL, centralSpec('org_audit_logs'), [{
    audit_id: randomUUID(),
    org_slug: entry.orgSlug,
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
