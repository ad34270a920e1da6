import type { Ctx } from '../../context/index.js';
import { knownProvider } from '../common.js';
import { endPlans, listPlans } from '../plans/store.js';
import { readWithScope } from '../tables.js';
import { listProviders, setProvider } from './store.js';
import { auditAfter } from '../../orgs/audit/store.js';

/**
 * Ends every open plan of the provider today (rows kept for history and cost; the original
 * deleted them) and marks the provider disabled. Round-trips: read (provider row | plans),
 * then end plans | provider row, then the audit row.
 */
export async function disableProvider(ctx: Ctx, input: { orgSlug: string; provider: string }): Promise<{ success: boolean; provider: string; plans_ended: number; message: string }> {
  const wh = ctx.warehouse;
  const { scope, result: [rows, plans] } = await readWithScope(ctx, input.orgSlug, (ds) => Promise.all([listProviders(wh, ds, input.provider), listPlans(wh, ds, { provider: input.provider })]));
  const { catalog, row } = knownProvider(input.provider, rows.get(input.provider));
  const now = ctx.clock();
  const open = new Set(plans.filter((p) => p.end_date === null || p.end_date > scope.today).map((p) => p.plan_id));
  await Promise.all([
    open.size ? endPlans(wh, scope.dataset, { provider: input.provider, endDate: scope.today, now }) : Promise.resolve(0),
    setProvider(wh, scope.dataset, {
      orgSlug: input.orgSlug, provider: input.provider, displayName: row?.display_name ?? catalog?.display_name ?? null,
      category: row?.category ?? catalog?.category ?? 'other', isCustom: !catalog, enabled: false, now,
    }),
  ]);
  await auditAfter(ctx, { orgSlug: input.orgSlug, action: 'SAAS_PROVIDER_DISABLE', resourceType: 'SAAS_PROVIDER', resourceId: input.provider, details: { plans_ended: [...open], end_date: scope.today } });
  return { success: true, provider: input.provider, plans_ended: open.size, message: `${input.provider} disabled; ${open.size} plan(s) end on ${scope.today} (kept for history)` };
}
