import { actorId, type Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { saasCatalog } from '../catalog.js';
import { ensurePlansLock, replaceWithCatalog } from '../plans/store.js';
import { orgScope } from '../tables.js';
import { seedRows } from './seed.js';
import { setProvider } from './store.js';
import { auditAfter } from '../../orgs/audit/store.js';

/**
 * Back to the catalog: the catalog's plans are added (disabled, as enable seeds them) and every
 * other open plan of the provider ends today, in one MERGE (atomic, and serialised with other
 * resets: of concurrent resets exactly one copy of each catalog plan stays open). Round-trips:
 * the lock row | the provider row, the MERGE, the audit row.
 */
export async function resetProvider(ctx: Ctx, input: { orgSlug: string; provider: string }): Promise<{ success: boolean; provider: string; plans_seeded: number; plans_ended: number; message: string }> {
  const def = saasCatalog().find(input.provider);
  if (!def) throw new NotFoundError(`'${input.provider}' is not a catalog provider: it has no catalog plans to reset to`);
  const scope = await orgScope(ctx, input.orgSlug);
  const wh = ctx.warehouse;
  const now = ctx.clock();
  const rows = seedRows(def, { orgSlug: input.orgSlug, today: scope.today, actorId: actorId(ctx.actor) ?? null, now });
  await Promise.all([
    ensurePlansLock(wh, scope.dataset, now),
    setProvider(wh, scope.dataset, { orgSlug: input.orgSlug, provider: def.provider, displayName: def.display_name, category: def.category, isCustom: false, enabled: true, now }),
  ]);
  const ended = await replaceWithCatalog(wh, scope.dataset, { provider: def.provider, rows, endDate: scope.today, now });
  const seeded = rows.length;
  await auditAfter(ctx, { orgSlug: input.orgSlug, action: 'SAAS_PROVIDER_RESET', resourceType: 'SAAS_PROVIDER', resourceId: def.provider, details: { plans_seeded: seeded, plan_versions_ended: ended } });
  return { success: true, provider: def.provider, plans_seeded: seeded, plans_ended: ended, message: `${def.display_name} reset to the catalog: ${seeded} plan(s) added disabled, ${ended} plan version(s) of the org's end on ${scope.today}` };
}
