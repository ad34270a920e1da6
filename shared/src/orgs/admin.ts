import type { Ctx } from '../context.js';
import { NotFoundError } from '../errors.js';
import { listKeys } from './keys/list.js';
import { SUBSCRIPTION_COLUMNS, toProfile } from './profile-store.js';
import { ref } from './tables.js';

/** Root: profile (any status but an unfinished claim), subscription and key metadata, in one round of queries. */
export async function getOrgOverview(ctx: Pick<Ctx, 'warehouse' | 'clock'>, input: { orgSlug: string }) {
  const { orgSlug } = input;
  const wh = ctx.warehouse;
  const [profiles, subs, keys] = await Promise.all([
    wh.query({ sql: `SELECT * FROM ${ref(wh, 'org_profiles')} WHERE org_slug = @org AND status NOT IN ('PENDING', 'FAILED')`, params: { org: orgSlug } }),
    wh.query({ sql: `SELECT ${SUBSCRIPTION_COLUMNS} FROM ${ref(wh, 'org_subscriptions')} WHERE org_slug = @org`, params: { org: orgSlug } }),
    listKeys(ctx, { orgSlug }),
  ]);
  if (!profiles[0]) throw new NotFoundError(`Organization '${orgSlug}' not found`);
  return { org_slug: orgSlug, profile: toProfile(profiles[0]), subscription: subs[0] ?? null, api_keys: keys };
}

export interface AuditQuery {
  action?: string;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

const DEFAULT_WINDOW_DAYS = 30;

/**
 * Root: an org's audit log, newest first. Always bounded in time (default: the last 30 days),
 * because org_audit_logs is partitioned by created_at and an unbounded read scans every day.
 */
export async function listAuditLogs(ctx: Pick<Ctx, 'warehouse' | 'clock'>, q: AuditQuery & { orgSlug: string }) {
  const { orgSlug } = q;
  const wh = ctx.warehouse;
  const now = ctx.clock();
  const to = q.to ? new Date(q.to) : now;
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - DEFAULT_WINDOW_DAYS * 86_400_000);
  const where = `org_slug = @org AND created_at >= @from AND created_at <= @to${q.action ? ' AND action = @action' : ''}`;
  const params = { org: orgSlug, from, to, ...(q.action ? { action: q.action } : {}) };
  const [rows, count] = await Promise.all([
    wh.query({
      sql: `SELECT audit_id, action, resource_type, resource_id, details, status, error_message, api_key_id, actor_type, actor_id, request_id, client_request_id, ip_address, created_at
            FROM ${ref(wh, 'org_audit_logs')} WHERE ${where} ORDER BY created_at DESC, audit_id LIMIT @limit OFFSET @offset`,
      params: { ...params, limit: q.limit, offset: q.offset },
    }),
    wh.query({ sql: `SELECT COUNT(*) AS total FROM ${ref(wh, 'org_audit_logs')} WHERE ${where}`, params }),
  ]);
  return { org_slug: orgSlug, from: from.toISOString(), to: to.toISOString(), total: Number(count[0]?.total ?? 0), limit: q.limit, offset: q.offset, logs: rows };
}
