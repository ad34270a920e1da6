import type { Ctx } from '../../context/index.js';
import { tenantOf } from '../../orgs/identity.js';
import { actorOf } from '../actor.js';
import type { Change } from '../entities/model.js';
import { referencesTo } from '../entities/references.js';
import { hierarchyState } from '../entities/state.js';
import { planImport, type CsvProblem } from './plan.js';

export interface ImportPreview {
  summary: { creates: number; updates: number; deletes: number; unchanged: number };
  is_valid: boolean;
  has_changes: boolean;
  creates: Change[];
  updates: Change[];
  deletes: Change[];
  unchanged: string[];
  validation_errors: CsvProblem[];
}

/** What POST /import would do with this file, without writing anything. */
export async function previewImport(ctx: Ctx, input: { orgSlug: string; csv: string }): Promise<ImportPreview> {
  const t = await tenantOf(ctx, input.orgSlug);
  const state = await hierarchyState(ctx, t);
  const plan = planImport(t, state, input.csv, actorOf(ctx), ctx.clock());
  const tr = plan.transition;
  const problems = [...plan.problems];
  if (tr?.deletes.length) {
    for (const r of await referencesTo(ctx, t, tr.deletes.map((d) => d.entity_id))) problems.push({ row: null, entity_id: r.target, field: 'entity_id', message: `${r.target} would be deleted but ${r.level_code} ${r.entity_name} points at it` });
  }
  return {
    summary: { creates: tr?.creates.length ?? 0, updates: tr?.updates.length ?? 0, deletes: tr?.deletes.length ?? 0, unchanged: tr?.unchanged.length ?? 0 },
    is_valid: problems.length === 0,
    has_changes: Boolean(tr && (tr.creates.length || tr.updates.length || tr.deletes.length)),
    creates: tr?.creates ?? [], updates: tr?.updates ?? [], deletes: tr?.deletes ?? [], unchanged: tr?.unchanged ?? [],
    validation_errors: problems,
  };
}
