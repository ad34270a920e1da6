import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import type { Tenant } from '../../orgs/identity.js';
import type { Warehouse } from '../../warehouse/port.js';
import { alertScope } from '../scope.js';
import { getAnomaly, type AnomalyRecord } from './store.js';
import { anomalyView } from './view.js';

export async function mustGetAnomaly(wh: Warehouse, t: Tenant, id: string): Promise<AnomalyRecord> {
  const a = await getAnomaly(wh, t, id);
  if (!a) throw new NotFoundError(`No anomaly ${id} in this org`, { anomaly_id: id });
  return a;
}

export async function getOrgAnomaly(ctx: Ctx, input: { orgSlug: string; anomalyId: string }) {
  const { tenant } = await alertScope(ctx, input.orgSlug);
  return anomalyView(await mustGetAnomaly(ctx.warehouse, tenant, input.anomalyId));
}
