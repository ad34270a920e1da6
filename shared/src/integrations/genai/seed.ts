import type { Ctx } from '../../context/index.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { FLOW_SPECS, FLOWS, type Flow } from './flows.js';
import { defaultRows } from './defaults.js';
import { ensureLock, insertEachUnlessPriced } from './store.js';
import { genaiTarget } from './target.js';

/**
 * Seeds the defaults of one flow or all three into the org: each default goes in unless its key
 * is priced already (an org's own price, an override, or the integrations routes' seed of the
 * same model: one history), in one serialised MERGE per flow, so a repeat or a concurrent seed
 * adds nothing twice. Returns what each flow added.
 */
export async function seedFlowDefaults(ctx: Ctx, input: { orgSlug: string; flow?: Flow }) {
  const { dataset, today } = await genaiTarget(ctx, input.orgSlug);
  const now = ctx.clock();
  const flows = input.flow ? [input.flow] : [...FLOWS];
  const added = await Promise.all(flows.map(async (flow) => {
    const spec = FLOW_SPECS[flow];
    await ensureLock(ctx.warehouse, dataset, spec, now);
    return [flow, await insertEachUnlessPriced(ctx.warehouse, dataset, spec, defaultRows(flow, { today, now }), now)] as const;
  }));
  const seeded = Object.fromEntries(added) as Partial<Record<Flow, number>>;
  await auditAfter(ctx, { orgSlug: input.orgSlug, action: 'GENAI_PRICING_SEED', resourceType: 'GENAI_PRICING', resourceId: input.orgSlug, details: { seeded } });
  return { org_slug: input.orgSlug, seeded, total: added.reduce((n, [, c]) => n + c, 0) };
}
