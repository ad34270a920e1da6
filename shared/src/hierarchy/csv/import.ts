import type { Ctx } from '../../context/index.js';
import { ConflictError, ValidationError } from '../../errors.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { tenantOf } from '../../orgs/identity.js';
import { actorOf } from '../actor.js';
import { referencesTo } from '../entities/references.js';
import { hierarchyState, writeHierarchy } from '../entities/state.js';
import { planImport, problemText, type CsvProblem } from './plan.js';

export interface ImportResult {
  success: boolean;
  created_count: number;
  updated_count: number;
  deleted_count: number;
  unchanged_count: number;
  errors: string[];
  import_started_at: string;
}

function refused(problems: readonly CsvProblem[]): ValidationError {
  return new ValidationError(problemText(problems), { 'body.csv_content': problems.map((p) => `${p.row === null ? '' : `row ${p.row}: `}${p.message}`) });
}

/**
 * Makes the file the org's hierarchy (full sync), all or nothing: every change (creates, new
 * versions, deletes, descendants' paths) is ONE conditional statement, so a failure half-way
 * leaves the hierarchy as it was, and an import racing another write is decided on a fresh read
 * (the original's import "lock" locked nothing and it deleted before it failed). A file with any
 * problem is 422 with the problems as text in `detail`, nothing written. Deleting an entity a
 * SaaS plan or integration points at is refused the same way.
 */
export async function importHierarchy(ctx: Ctx, input: { orgSlug: string; csv: string }): Promise<ImportResult> {
  const started = ctx.clock().toISOString();
  const t = await tenantOf(ctx, input.orgSlug);
  const actor = actorOf(ctx);
  const first = planImport(t, await hierarchyState(ctx, t), input.csv, actor, ctx.clock());
  if (first.problems.length) throw refused(first.problems);
  const deleting = new Set(first.transition!.deletes.map((d) => d.entity_id));
  const refs = await referencesTo(ctx, t, [...deleting]);
  if (refs.length) throw refused(refs.map((r) => ({ row: null, entity_id: r.target, field: 'entity_id', message: `${r.target} would be deleted but ${r.level_code} ${r.entity_name} points at it` })));
  const tr = await writeHierarchy(ctx, t, actor, (state) => {
    const plan = planImport(t, state, input.csv, actor, ctx.clock());
    if (plan.problems.length) throw refused(plan.problems);
    const extra = plan.transition!.deletes.filter((d) => !deleting.has(d.entity_id));
    if (extra.length) throw new ConflictError(`Entities were added while the import was checked (${extra.map((d) => d.entity_id).join(', ')}); preview and import again`, { reason: 'CHANGED_DURING_IMPORT' });
    return { desired: plan.desired, result: () => plan.transition! };
  }, { onProblems: (p) => refused(p.map((x) => ({ row: null, entity_id: x.entity_id, field: x.field, message: x.message }))) });
  const result: ImportResult = { success: true, created_count: tr.creates.length, updated_count: tr.updates.length, deleted_count: tr.deletes.length, unchanged_count: tr.unchanged.length, errors: [], import_started_at: started };
  if (tr.creates.length || tr.updates.length || tr.deletes.length) {
    await auditAfter(ctx, { orgSlug: t.orgSlug, orgId: t.orgId, action: 'HIERARCHY_IMPORT', resourceType: 'hierarchy', details: { ...result, created: tr.creates.map((c) => c.entity_id), updated: tr.updates.map((c) => c.entity_id), deleted: tr.deletes.map((c) => c.entity_id) } });
  }
  return result;
}
