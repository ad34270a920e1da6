import type { Ctx } from '../../context/index.js';
import { addDays } from '../../i18n/dates.js';
import { alertScope } from '../scope.js';
import { listAnomalies, type AnomalyStatus } from './store.js';
import { anomalyView } from './view.js';

/** Anomalies whose last day is within the org's last `days` local days (default 30), newest first. */
export async function listOrgAnomalies(ctx: Ctx, input: { orgSlug: string; status?: AnomalyStatus; days?: number }) {
  const scope = await alertScope(ctx, input.orgSlug);
  const days = input.days ?? 30;
  const items = await listAnomalies(ctx.warehouse, scope.tenant, { sinceDay: addDays(scope.today, -(days - 1)), limit: 500, ...(input.status ? { status: input.status } : {}) });
  return { items: items.map(anomalyView), total: items.length, days, currency: scope.profile.default_currency };
}
