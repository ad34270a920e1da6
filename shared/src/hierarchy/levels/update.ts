import type { Ctx } from '../../context/index.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { tenantOf } from '../../orgs/identity.js';
import { actorOf } from '../actor.js';
import { noEntityOnLevel, readCurrent } from '../entities/store.js';
import { decideAndWrite } from '../write.js';
import { levelInvalid } from './create.js';
import { levelProblem, type Level, type LevelFields } from './fields.js';
import { levelStore, levelsWriteFor } from './state.js';

/** What a PUT may change: not the level number, its code or its parent (entities are stored under them). */
export type LevelChange = Partial<Omit<LevelFields, 'level' | 'level_code' | 'parent_level'>> & { is_active?: boolean };

export async function updateLevel(ctx: Ctx, input: { orgSlug: string; level: number; change: LevelChange }): Promise<Level> {
  const t = await tenantOf(ctx, input.orgSlug);
  const actor = actorOf(ctx);
  const store = levelStore(ctx, t);
  const deactivating = input.change.is_active === false;
  const out = await decideAndWrite(ctx, t, { ...store, read: async () => {
    const [levels, entities] = await Promise.all([store.read(), deactivating ? readCurrent(ctx.warehouse, t).then((c) => c.entities) : Promise.resolve([])]);
    return { ...levels, entities };
  } }, (state) => {
    const before = state.levels.find((l) => l.level === input.level);
    if (!before) throw new NotFoundError(`Level ${input.level} does not exist`, { level: input.level });
    // An inactive level's entities would fail every later check of the tree: refuse while any is on it.
    const users = deactivating && before.is_active ? state.entities.filter((e) => e.level === input.level) : [];
    if (users.length) throw new ConflictError(`Level ${input.level} (${before.level_code}) is used by ${users.length} entities; delete or move them before deactivating it`, { reason: 'LEVEL_IN_USE', entity_ids: users.slice(0, 20).map((e) => e.entity_id) });
    const defined = Object.fromEntries(Object.entries(input.change).filter(([, v]) => v !== undefined));
    const after: Level = { ...before, ...defined, metadata_schema: (defined.metadata_schema as Level['metadata_schema'] | undefined) ?? before.metadata_schema, updated_at: ctx.clock().toISOString(), updated_by: actor };
    const desired = state.levels.map((l) => (l.id === before.id ? after : l));
    const problem = levelProblem(desired);
    if (problem) throw levelInvalid(problem.field === 'parent_level' ? 'is_leaf' : problem.field, problem.message);
    const write = levelsWriteFor(t, state, desired, actor, ctx.clock());
    return { write: deactivating ? { ...write, guard: noEntityOnLevel(ctx.warehouse, input.level) } : write, result: { before, after } };
  });
  await auditAfter(ctx, { orgSlug: t.orgSlug, orgId: t.orgId, action: 'HIERARCHY_LEVEL_UPDATE', resourceType: 'hierarchy_level', resourceId: String(input.level), details: out });
  return out.after;
}
