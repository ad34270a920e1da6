import { randomBytes } from 'node:crypto';
import type { Ctx } from '../../context/index.js';
import { ConflictError, ValidationError } from '../../errors.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { tenantOf } from '../../orgs/identity.js';
import { actorOf } from '../actor.js';
import { contentOf, type Content } from './model.js';
import { writeHierarchy } from './state.js';
import { entityView, type Entity } from './view.js';

export type EntityFields = Partial<Pick<Content, 'owner_id' | 'owner_name' | 'owner_email' | 'description' | 'metadata' | 'sort_order' | 'is_active'>>;

export interface CreateEntityInput extends EntityFields {
  orgSlug: string;
  entity_id?: string;
  entity_name: string;
  level_code: string;
  parent_id?: string | null;
}

/**
 * Creates an entity. The id is the caller's (upper-cased) or, when its level says so, the
 * level's prefix and 8 hex digits. A current entity of that id is 409; of concurrent creates of
 * one id exactly one succeeds (the deciding statement is conditional on the org's lock row).
 */
export async function createEntity(ctx: Ctx, input: CreateEntityInput): Promise<Entity> {
  const t = await tenantOf(ctx, input.orgSlug);
  const actor = actorOf(ctx);
  const created = await writeHierarchy(ctx, t, actor, (state) => {
    const level = state.levels.find((l) => l.level_code === input.level_code && l.is_active);
    if (!level) throw new ValidationError(`level_code: ${input.level_code} is not one of the org's active levels`, { 'body.level_code': [`one of ${state.levels.filter((l) => l.is_active).map((l) => l.level_code).join(', ')}`] });
    let id = input.entity_id?.trim().toUpperCase();
    if (!id) {
      if (!level.id_auto_generate) throw new ValidationError(`entity_id: level ${level.level_code} does not generate ids; send one`, { 'body.entity_id': ['required for this level'] });
      id = `${level.id_prefix ?? ''}${randomBytes(4).toString('hex').toUpperCase()}`;
    }
    if (state.entities.some((e) => e.entity_id === id)) throw new ConflictError(`Entity ${id} exists already`, { entity_id: id, reason: 'DUPLICATE' });
    const content: Content = {
      entity_id: id, entity_name: input.entity_name.trim(), level: level.level, level_code: level.level_code, parent_id: input.parent_id?.trim().toUpperCase() || null,
      owner_id: input.owner_id ?? null, owner_name: input.owner_name ?? null, owner_email: input.owner_email ?? null, description: input.description ?? null,
      metadata: input.metadata ?? null, sort_order: input.sort_order ?? null, is_active: input.is_active ?? true,
    };
    const entityId = id;
    return {
      desired: [...state.entities.map(contentOf), content],
      result: (tr) => tr.versions.find((r) => r.entity_id === entityId)!,
    };
  });
  const view = entityView(created);
  await auditAfter(ctx, { orgSlug: t.orgSlug, orgId: t.orgId, action: 'HIERARCHY_ENTITY_CREATE', resourceType: 'hierarchy_entity', resourceId: view.entity_id, details: { after: view } });
  return view;
}
