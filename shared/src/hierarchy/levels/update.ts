import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { tenantOf } from '../../orgs/identity.js';
import { actorOf } from '../actor.js';
import { decideAndWrite } from '../write.js';
import { levelInvalid } from './create.js';
import { levelProblem, type Level, type LevelFields } from './fields.js';
import { levelStore, levelsWriteFor } from './state.js';

/** What a PUT may change: not the level number, its code or its parent (entities are stored under them). */
export type LevelChange = Partial<Omit<LevelFields, 'level' | 'level_code' | 'parent_level'>> & { is_active?: boolean };

export async function updateLevel(ctx: Ctx, input: { orgSlug: string; level: number; change: LevelChange }): Promise<Level> {
  const t = await tenantOf(ctx, input.orgSlug);
  const actor = actorOf(ctx);
  const out = await decideAndWrite(ctx, t, levelStore(ctx, t), (state) => {
    const before = state.levels.find((l) => l.level === input.level);
    if (!before) throw new NotFoundError(`Level ${input.level} does not exist`, { level: input.level });
    const defined = Object.fromEntries(Object.entries(input.change).filter(([, v]) => v !== undefined));
    const after: Level = { ...before, ...defined, metadata_schema: (defined.metadata_schema as Level['metadata_schema'] | undefined) ?? before.metadata_schema, updated_at: ctx.clock().toISOString(), updated_by: actor };
    const desired = state.levels.map((l) => (l.id === before.id ? after : l));
    const problem = levelProblem(desired);
    if (problem) throw levelInvalid(problem.field === 'parent_level' ? 'is_leaf' : problem.field, problem.message);
    return { write: levelsWriteFor(t, state, desired, actor, ctx.clock()), result: { before, after } };
  });
  await auditAfter(ctx, { orgSlug: t.orgSlug, orgId: t.orgId, action: 'HIERARCHY_LEVEL_UPDATE', resourceType: 'hierarchy_level', resourceId: String(input.level), details: out });
  return out.after;
}
