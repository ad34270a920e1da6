import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { findSettledProfile } from '../profiles/store.js';
import { listAuditRows } from './store.js';

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
  // The slug's current (or, once deleted, last) tenant: an earlier life's rows stay hidden.
  const profile = await findSettledProfile(ctx.warehouse, q.orgSlug);
  if (!profile) throw new NotFoundError(`Organization '${q.orgSlug}' not found`);
  const { orgSlug } = q;
  const wh = ctx.warehouse;
  const now = ctx.clock();
  const to = q.to ? new Date(q.to) : now;
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - DEFAULT_WINDOW_DAYS * 86_400_000);
  const { rows, total } = await listAuditRows(wh, { tenant: { orgSlug, orgId: profile.org_id }, from, to, action: q.action, limit: q.limit, offset: q.offset });
  return { org_slug: orgSlug, from: from.toISOString(), to: to.toISOString(), total, limit: q.limit, offset: q.offset, logs: rows };
}
