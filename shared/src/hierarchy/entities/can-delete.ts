import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { tenantOf, type Tenant } from '../../orgs/identity.js';
import { descendantsOf } from './model.js';
import { referencesTo } from './references.js';
import { hierarchyState, type HierarchyState } from './state.js';

export interface Blocking { entity_id: string; entity_name: string; level_code: string; type: 'child' | 'reference' }
export interface CanDelete { entity_id: string; level_code: string; blocked: boolean; reason: string | null; blocking_entities: Blocking[] }

/** Why an entity (and, with force, its subtree) cannot be deleted: current children (unless force) and references to it. */
export async function deletability(ctx: Ctx, t: Tenant, state: HierarchyState, entityId: string, force: boolean): Promise<CanDelete & { subtree: string[] }> {
  const target = state.entities.find((e) => e.entity_id === entityId);
  if (!target) throw new NotFoundError(`Entity ${entityId} does not exist (or was deleted)`, { entity_id: entityId });
  const subtree = descendantsOf(state.entities, entityId);
  const children: Blocking[] = force ? [] : state.entities.filter((e) => e.parent_id === entityId).map((e) => ({ entity_id: e.entity_id, entity_name: e.entity_name, level_code: e.level_code, type: 'child' as const }));
  const refs = await referencesTo(ctx, t, [entityId, ...(force ? subtree : [])]);
  const blocking: Blocking[] = [...children, ...refs.map((r) => ({ entity_id: r.entity_id, entity_name: r.entity_name, level_code: r.level_code, type: 'reference' as const }))];
  const reasons: string[] = [];
  if (children.length) reasons.push(`${entityId} has ${children.length} child entities (delete them first, or delete with force=true to delete the subtree)`);
  if (refs.length) reasons.push(`${refs.length} SaaS plans, integrations or budgets point at ${[...new Set(refs.map((r) => r.target))].join(', ')}; point them elsewhere first`);
  return { entity_id: entityId, level_code: target.level_code, blocked: blocking.length > 0, reason: reasons.length ? reasons.join('; ') : null, blocking_entities: blocking, subtree };
}

export async function canDeleteEntity(ctx: Ctx, input: { orgSlug: string; entityId: string }): Promise<CanDelete> {
  const t = await tenantOf(ctx, input.orgSlug);
  const state = await hierarchyState(ctx, t);
  const { subtree: _s, ...answer } = await deletability(ctx, t, state, input.entityId, false);
  void _s;
  return answer;
}
