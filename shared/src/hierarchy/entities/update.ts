import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { tenantOf } from '../../orgs/identity.js';
import { actorOf } from '../actor.js';
import type { EntityFields } from './create.js';
import { contentOf } from './model.js';
import { writeHierarchy } from './state.js';
import { entityView, type Entity } from './view.js';

/**
 * Changes an entity's name and details: its current version is closed and the next opened in
 * one conditional statement, with every descendant's path_names following a rename. Only a
 * current entity can be changed: a deleted one is 404 (the original's PUT resurrected it without
 * checking its parent). Concurrent updates leave exactly one current version.
 */
export async function updateEntity(ctx: Ctx, input: EntityFields & { orgSlug: string; entityId: string; entity_name?: string }): Promise<Entity> {
  const t = await tenantOf(ctx, input.orgSlug);
  const actor = actorOf(ctx);
  const { orgSlug: _o, entityId, ...change } = input;
  void _o;
  const defined = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
  const out = await writeHierarchy(ctx, t, actor, (state) => {
    const before = state.entities.find((e) => e.entity_id === entityId);
    if (!before) throw new NotFoundError(`Entity ${entityId} does not exist (or was deleted)`, { entity_id: entityId });
    return {
      desired: state.entities.map((e) => (e.entity_id === entityId ? { ...contentOf(e), ...defined } : contentOf(e))),
      result: (tr) => ({ before, after: tr.versions.find((v) => v.entity_id === entityId) ?? before, changes: tr.updates }),
    };
  });
  if (out.changes.length) await auditAfter(ctx, { orgSlug: t.orgSlug, orgId: t.orgId, action: 'HIERARCHY_ENTITY_UPDATE', resourceType: 'hierarchy_entity', resourceId: entityId, details: { before: out.before, after: out.after, changed: out.changes } });
  return entityView(out.after);
}
