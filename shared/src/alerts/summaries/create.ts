import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../context/index.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { actorOf } from '../../hierarchy/actor.js';
import { alertScope } from '../scope.js';
import { checkSummary } from './check.js';
import { DEFAULT_CRON, DEFAULT_SECTIONS, type Summary, type SummaryInput, type SummaryType } from './fields.js';
import { insertSummary } from './store.js';
import { summaryView } from './view.js';

/** The entity a body names: hierarchy_entity_id, else the original's hierarchy_filter {entity_id}. */
export const entityOf = (f: SummaryInput): string | null | undefined =>
  f.hierarchy_entity_id !== undefined ? f.hierarchy_entity_id : f.hierarchy_filter === undefined ? undefined : (f.hierarchy_filter?.entity_id ?? f.hierarchy_filter?.hierarchy_entity_id ?? null);

/**
 * Adds a digest (201), refused (422) unless it can be built and sent (check.ts); its first send is
 * computed in its timezone. Round-trips: scope | channels | the insert | audit.
 */
export async function createSummary(ctx: Ctx, input: SummaryInput & { orgSlug: string; name: string; summary_type: SummaryType; notify_channel_ids: string[] }) {
  const { orgSlug, ...f } = input;
  const now = ctx.clock();
  const scope = await alertScope(ctx, orgSlug);
  const actor = actorOf(ctx);
  const draft: Summary = {
    summary_id: randomUUID(), org_slug: orgSlug, name: f.name, description: f.description ?? null, summary_type: f.summary_type, is_active: f.is_active ?? true,
    schedule_cron: f.schedule_cron ?? DEFAULT_CRON[f.summary_type], schedule_timezone: f.schedule_timezone ?? scope.profile.default_timezone,
    notify_channel_ids: f.notify_channel_ids, include_sections: f.include_sections ?? [...DEFAULT_SECTIONS], top_n_items: f.top_n_items ?? 5,
    currency_display: f.currency_display ?? null, provider_filter: f.provider_filter ?? [], service_filter: f.service_filter ?? [], hierarchy_entity_id: entityOf(f) ?? null,
    last_sent_at: null, next_scheduled_at: null, last_send_id: null, created_at: now.toISOString(), created_by: actor, updated_at: now.toISOString(), updated_by: actor,
  };
  const summary = await checkSummary(ctx, scope, draft, now);
  await insertSummary(ctx.warehouse, scope.tenant, summary);
  await auditAfter(ctx, { orgSlug, orgId: scope.tenant.orgId, action: 'NOTIFICATION_SUMMARY_CREATE', resourceType: 'NOTIFICATION_SUMMARY', resourceId: summary.summary_id, details: { after: summary } });
  return summaryView(summary);
}
