import type { Ctx } from '../../context/index.js';
import { ConflictError } from '../../errors.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { tenantOf } from '../../orgs/identity.js';
import { actorOf } from '../actor.js';
import { deletability } from './can-delete.js';
import { contentOf } from './model.js';
import { hierarchyState, writeHierarchy } from './state.js';

/**
 * Deletes an entity: its current version is closed (history kept). With children it is 409
 * unless force, which closes the whole subtree in the same statement (the original's force
 * orphaned them). References (SaaS plans, integrations) block it either way: they are read
 * before the statement, from tables this function does not own.
 */
export async function deleteEntity(ctx: Ctx, input: { orgSlug: string; entityId: string; force?: boolean }): Promise<void> {
  const t = await tenantOf(ctx, input.orgSlug);
  const actor = actorOf(ctx);
  const force = input.force ?? false;
  const first = await deletability(ctx, t, await hierarchyState(ctx, t), input.entityId, force);
  if (first.blocked) throw new ConflictError(first.reason!, { reason: first.reason, blocking_entities: first.blocking_entities });
  const removed = await writeHierarchy(ctx, t, actor, (state) => {
    const gone = new Set([input.entityId]);
    const kids = state.entities.filter((e) => e.parent_id === input.entityId);
    if (!state.entities.some((e) => e.entity_id === input.entityId)) throw new ConflictError(`Entity ${input.entityId} was deleted by another request`, { reason: 'GONE' });
    if (!force && kids.length) throw new ConflictError(`${input.entityId} has ${kids.length} child entities (delete them first, or delete with force=true to delete the subtree)`, { reason: 'HAS_CHILDREN' });
    // The subtree as the state holds it now (entities come level by level, parents first).
    if (force) for (const e of state.entities) if (gone.has(e.parent_id ?? '')) gone.add(e.entity_id);
    return { desired: state.entities.filter((e) => !gone.has(e.entity_id)).map(contentOf), result: (tr) => tr.deletes.map((d) => d.entity_id) };
  });
  await auditAfter(ctx, { orgSlug: t.orgSlug, orgId: t.orgId, action: 'HIERARCHY_ENTITY_DELETE', resourceType: 'hierarchy_entity', resourceId: input.entityId, details: { before: { entity_id: input.entityId }, deleted: removed, force } });
}
