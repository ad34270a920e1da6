import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { tenantOf } from '../../orgs/identity.js';
import { actorOf } from '../actor.js';
import { contentOf } from './model.js';
import { writeHierarchy } from './state.js';
import { entityView, type Entity } from './view.js';

/**
 * Moves an entity under another parent (of the level its level names as parent). Its version
 * and every descendant's (their paths change) are closed and succeeded in ONE conditional
 * statement, so no descendant keeps a path through the old parent, and concurrent moves leave
 * exactly one current version of each.
 */
export async function moveEntity(ctx: Ctx, input: { orgSlug: string; entityId: string; newParentId: string | null }): Promise<Entity & { moved: number }> {
  const t = await tenantOf(ctx, input.orgSlug);
  const actor = actorOf(ctx);
  const parent = input.newParentId?.trim().toUpperCase() || null;
  const out = await writeHierarchy(ctx, t, actor, (state) => {
    const before = state.entities.find((e) => e.entity_id === input.entityId);
    if (!before) throw new NotFoundError(`Entity ${input.entityId} does not exist (or was deleted)`, { entity_id: input.entityId });
    return {
      desired: state.entities.map((e) => (e.entity_id === input.entityId ? { ...contentOf(e), parent_id: parent } : contentOf(e))),
      result: (tr) => ({ before, after: tr.versions.find((v) => v.entity_id === input.entityId) ?? before, moved: tr.updates.length }),
    };
  }, { fieldName: (f) => (f === 'parent_id' ? 'new_parent_id' : f) });
  if (out.moved) await auditAfter(ctx, { orgSlug: t.orgSlug, orgId: t.orgId, action: 'HIERARCHY_ENTITY_MOVE', resourceType: 'hierarchy_entity', resourceId: input.entityId, details: { before: { parent_id: out.before.parent_id, path: out.before.path }, after: { parent_id: out.after.parent_id, path: out.after.path }, versions_written: out.moved } });
  return { ...entityView(out.after), moved: out.moved };
}
