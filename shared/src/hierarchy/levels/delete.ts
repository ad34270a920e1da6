import type { Ctx } from '../../context/index.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { tenantOf } from '../../orgs/identity.js';
import { actorOf } from '../actor.js';
import { noEntityOnLevel, readCurrent } from '../entities/store.js';
import { decideAndWrite } from '../write.js';
import type { Level } from './fields.js';
import { levelStore, levelsWriteFor } from './state.js';

/**
 * Removes a level, refused (409) while a current entity is on it or another level names it as
 * parent. The entity check is also part of the deleting statement (an entity created since the
 * read refuses it); see the README for the one window left between the two tables.
 */
export async function deleteLevel(ctx: Ctx, input: { orgSlug: string; level: number }): Promise<void> {
  const t = await tenantOf(ctx, input.orgSlug);
  const actor = actorOf(ctx);
  const store = levelStore(ctx, t);
  const removed = await decideAndWrite(ctx, t, { ...store, read: async () => {
    const [levels, entities] = await Promise.all([store.read(), readCurrent(ctx.warehouse, t)]);
    return { ...levels, entities: entities.entities };
  } }, (state) => {
    const target = state.levels.find((l) => l.level === input.level);
    if (!target) throw new NotFoundError(`Level ${input.level} does not exist`, { level: input.level });
    const users = state.entities.filter((e) => e.level === input.level);
    if (users.length) throw new ConflictError(`Level ${input.level} (${target.level_code}) is used by ${users.length} entities; delete or move them first`, { reason: 'LEVEL_IN_USE', entity_ids: users.slice(0, 20).map((e) => e.entity_id) });
    const children = state.levels.filter((l) => l.parent_level === input.level);
    if (children.length) throw new ConflictError(`Level ${input.level} (${target.level_code}) is the parent of level ${children.map((l) => l.level).join(', ')}; delete those first`, { reason: 'LEVEL_IS_PARENT' });
    const desired = state.levels.filter((l) => l.id !== target.id);
    return { write: { ...levelsWriteFor(t, state, desired, actor, ctx.clock()), guard: noEntityOnLevel(ctx.warehouse, input.level) }, result: target as Level };
  });
  await auditAfter(ctx, { orgSlug: t.orgSlug, orgId: t.orgId, action: 'HIERARCHY_LEVEL_DELETE', resourceType: 'hierarchy_level', resourceId: String(input.level), details: { before: removed } });
}
