import { randomUUID } from 'node:crypto';
import { insertRows } from '../warehouse/dml.js';
import type { Warehouse } from '../warehouse/port.js';
import { CENTRAL, centralSpec } from './tables.js';

export interface AuditEntry {
  orgSlug: string;
  action: string;
  resourceType: string;
  resourceId?: string;
  details?: Record<string, unknown>;
  status?: 'SUCCESS' | 'FAILED';
  errorMessage?: string;
  apiKeyId?: string;
  requestId?: string;
}

/** One row in org_audit_logs, by DML INSERT (audit rows are never updated, but are read at once). */
export async function writeAudit(wh: Warehouse, now: Date, entry: AuditEntry): Promise<void> {
  await insertRows(wh, CENTRAL, centralSpec('org_audit_logs'), [{
    audit_id: randomUUID(),
    org_slug: entry.orgSlug,
    api_key_id: entry.apiKeyId,
    action: entry.action,
    resource_type: entry.resourceType,
    resource_id: entry.resourceId,
    details: entry.details ? JSON.stringify(entry.details) : undefined,
    request_id: entry.requestId,
    status: entry.status ?? 'SUCCESS',
    error_message: entry.errorMessage,
    created_at: now,
  }]);
}
