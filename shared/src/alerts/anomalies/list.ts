import type { Ctx } from '../../context/index.js';
import { addDays } from '../../i18n/dates.js';
import { alertScope } from '../scope.js';
import { listAnomalies, type AnomalyStatus } from './store.js';
import { anomalyView } from './view.js';

/** Anomalies whose last day is within the org's last `days` local days (default 30), newest first. */
export async function listOrgAnomalies(ctx: Ctx, input: { orgSlug: string; status?: AnomalyStatus; days?: number; hierarchy_entity_id?: string }) {
  const scope = await alertScope(ctx, input.orgSlug);
  const days = input.days ?? 30;
  const items = await listAnomalies(ctx.warehouse, scope.tenant, { sinceDay: addDays(scope.today, -(days - 1)), limit: 500, ...(input.status ? { status: input.status } : {}) });
  const entity = input.hierarchy_entity_id?.toUpperCase();
  const kept = entity ? items.filter((a) => a.hierarchy_entity_id === entity) : items;
  return { items: kept.map(anomalyView), total: kept.length, days, currency: scope.profile.default_currency };
}
