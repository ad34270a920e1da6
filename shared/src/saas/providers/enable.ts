import { actorId, type Ctx } from '../../context/index.js';
import { checkCategory } from '../common.js';
import { saasCatalog } from '../catalog.js';
import { ensurePlansLock, seedPlans } from '../plans/store.js';
import { orgScope } from '../tables.js';
import { seedRows } from './seed.js';
import { setProvider } from './store.js';
import { auditAfter } from '../../orgs/audit/store.js';

export interface EnableInput {
  orgSlug: string;
  provider: string;
  seed_plans?: boolean;
  /** Custom providers only (a catalog provider keeps the catalog's). Default `other`. */
  category?: string;
  display_name?: string;
}

export interface EnableResult {
  success: boolean;
  provider: string;
  plans_seeded: number;
  message: string;
}

/**
 * Marks a provider enabled for the org; a name not in the catalog becomes a custom provider.
 * With seed_plans, copies the catalog's plans in, disabled, skipping each the org already has
 * open (so enabling again, or twenty times at once, seeds nothing twice: the seed is one MERGE
 * serialised on the plans table's lock row). Round-trips: the org's profile (cached), then the
 * provider row | (the lock row made sure of, then the seed), then the audit row.
 */
export async function enableProvider(ctx: Ctx, input: EnableInput): Promise<EnableResult> {
  const def = saasCatalog().find(input.provider);
  const category = def ? def.category : checkCategory(input.category ?? 'other');
  const scope = await orgScope(ctx, input.orgSlug);
  const now = ctx.clock();
  const wh = ctx.warehouse;
  const rows = input.seed_plans && def ? seedRows(def, { orgSlug: input.orgSlug, today: scope.today, actorId: actorId(ctx.actor) ?? null, now }) : [];
  const [, seeded] = await Promise.all([
    setProvider(wh, scope.dataset, { orgSlug: input.orgSlug, provider: input.provider, displayName: def ? def.display_name : (input.display_name ?? null), category, isCustom: !def, enabled: true, now }),
    rows.length ? ensurePlansLock(wh, scope.dataset, now).then(() => seedPlans(wh, scope.dataset, rows, scope.today)) : 0,
  ]);
  await auditAfter(ctx, {
    orgSlug: input.orgSlug, action: 'SAAS_PROVIDER_ENABLE', resourceType: 'SAAS_PROVIDER', resourceId: input.provider,
    details: { custom: !def, category, seed_plans: Boolean(input.seed_plans), plans_seeded: seeded },
  });
  const name = def?.display_name ?? input.display_name ?? input.provider;
  const message = !input.seed_plans ? `${name} enabled`
    : !def ? `${name} enabled as a custom provider (no catalog plans to seed)`
      : seeded === 0 ? `${name} enabled; the org already has its catalog plans, none seeded again`
        : `${name} enabled; ${seeded} catalog plan(s) added, disabled: switch them on and set seats to count them`;
  return { success: true, provider: input.provider, plans_seeded: seeded, message };
}
