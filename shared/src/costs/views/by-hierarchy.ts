import type { Ctx } from '../../context/index.js';
import { ValidationError } from '../../errors.js';
import { readCurrent } from '../../hierarchy/entities/store.js';
import { activeLevels, levelState } from '../../hierarchy/levels/state.js';
import { tenantOf } from '../../orgs/identity.js';
import { envelope } from '../analytics/envelope.js';
import { loadReduced } from '../analytics/load.js';
import { apportion } from '../analytics/money.js';
import { resolveScope, type CostQuery } from '../analytics/scope.js';
import { cachedView } from '../cache/result-cache.js';
import { releaseFrames } from '../analytics/release.js';
import { decimalsOf, period, roundMoney, sumBy } from './breakdowns.js';

/**
 * GET /costs/{org}/by-hierarchy?level_code: cost per entity of one level of the org's hierarchy,
 * each rolled up its subtree (a department holds its projects' and teams' costs), in the org's
 * currency and local days. A row counts under the entity it is allocated to
 * (x_HierarchyEntityId) placed in the CURRENT tree, so a renamed or moved entity's costs follow
 * it; an entity id the tree no longer has falls back to the row's own path. Beside the entities:
 * `unallocated` (rows of no entity) and `allocated_above_level` (rows of an entity above the level
 * asked, which no entity of that level holds). Entities, above-level and unallocated add up to
 * the total after rounding. Default level: the top one.
 */
export async function getCostsByHierarchy(ctx: Ctx, q: CostQuery & { level_code?: string }) {
  const scope = await resolveScope(ctx, q);
  return cachedView(ctx, scope, 'by-hierarchy', q.level_code ?? null, async () => {
    const started = performance.now();
    const tenant = await tenantOf(ctx, q.orgSlug);
    const [{ df, rates }, current, lv] = await Promise.all([
      loadReduced(ctx, scope, scope.start, scope.end, ['x_HierarchyEntityId', 'x_HierarchyPath']),
      readCurrent(ctx.warehouse, tenant),
      levelState(ctx, tenant),
    ]);
    const entities = current.entities.filter((e) => e.is_active);
    const levelCodes = activeLevels(lv.levels).map((l) => l.level_code);
    const levelCode = q.level_code ?? levelCodes[0] ?? null;
    if (q.level_code && !levelCodes.includes(q.level_code)) {
      const message = `level_code ${q.level_code} is not one of the org's levels (${levelCodes.join(', ')})`;
      throw new ValidationError(message, { level_code: [message] });
    }
    const { cur, grand } = period(df, scope.start, scope.end);
    const cells = sumBy(cur, ['x_HierarchyEntityId', 'x_HierarchyPath'], ['cost', 'billed_cost']);
    releaseFrames(df, cur);

    const byId = new Map(entities.map((e) => [e.entity_id.toUpperCase(), e]));
    const atLevel = entities.filter((e) => e.level_code === levelCode).sort((a, b) => (a.entity_id < b.entity_id ? -1 : 1));
    const wanted = new Set(atLevel.map((e) => e.entity_id.toUpperCase()));
    const sums = new Map<string, { cost: number; billed: number; records: number; direct: number }>();
    let above = { cost: 0, billed: 0, records: 0 };
    let unallocated = { cost: 0, billed: 0, records: 0 };
    for (const c of cells) {
      const id = c.x_HierarchyEntityId?.toUpperCase() ?? null;
      if (!id) {
        unallocated = { cost: unallocated.cost + c.cost, billed: unallocated.billed + c.billed_cost, records: unallocated.records + c.records };
        continue;
      }
      // The chain from the root in the current tree, or the row's own path for an entity since gone.
      const known = byId.get(id);
      const chain = known ? known.path_ids.map((x) => x.toUpperCase()) : (c.x_HierarchyPath ?? '').split('/').filter(Boolean).map((x) => x.toUpperCase());
      if (!chain.includes(id)) chain.push(id);
      const holder = chain.find((x) => wanted.has(x));
      if (!holder) {
        above = { cost: above.cost + c.cost, billed: above.billed + c.billed_cost, records: above.records + c.records };
        continue;
      }
      const s = sums.get(holder) ?? { cost: 0, billed: 0, records: 0, direct: 0 };
      sums.set(holder, { cost: s.cost + c.cost, billed: s.billed + c.billed_cost, records: s.records + c.records, direct: s.direct + (holder === id ? c.cost : 0) });
    }
    const d = decimalsOf(scope.currency);
    const rows = atLevel.map((e) => ({ e, s: sums.get(e.entity_id.toUpperCase()) ?? { cost: 0, billed: 0, records: 0, direct: 0 } }))
      .sort((a, b) => b.s.cost - a.s.cost || (a.e.entity_id < b.e.entity_id ? -1 : 1));
    const parts = apportion([...rows.map((r) => r.s.cost), above.cost, unallocated.cost], d, grand).parts;
    const share = (x: number) => (grand === 0 ? 0 : Math.round((x / grand) * 10_000) / 100);
    const data = rows.map((r, i) => ({
      entity_id: r.e.entity_id, entity_name: r.e.entity_name, level: r.e.level, level_code: r.e.level_code, parent_id: r.e.parent_id,
      path: r.e.path, path_names: r.e.path_names,
      total_cost: parts[i]!, direct_cost: roundMoney(r.s.direct, d), total_billed_cost: roundMoney(r.s.billed, d), record_count: r.s.records, percentage: share(r.s.cost),
    }));
    return envelope(scope, started, rates, data, {
      total_cost: roundMoney(grand, d), level_code: levelCode, entity_count: data.length,
      allocated_above_level: { total_cost: parts[rows.length]!, record_count: above.records, percentage: share(above.cost) },
      unallocated: { total_cost: parts[rows.length + 1]!, record_count: unallocated.records, percentage: share(unallocated.cost) },
    });
  });
}
