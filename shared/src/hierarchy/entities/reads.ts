import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { tenantOf } from '../../orgs/identity.js';
import { activeLevels, levelState } from '../levels/state.js';
import { descendantsOf } from './model.js';
import { readCurrent, type EntityRow } from './store.js';
import { hierarchyState } from './state.js';
import { buildTree, entityView, type Entity, type TreeNode } from './view.js';

/** The read verbs: each one query of the current versions (levels beside it where shown). */
async function current(ctx: Ctx, orgSlug: string): Promise<EntityRow[]> {
  return (await readCurrent(ctx.warehouse, await tenantOf(ctx, orgSlug))).entities;
}

function find(entities: readonly EntityRow[], entityId: string): EntityRow {
  const e = entities.find((x) => x.entity_id === entityId);
  if (!e) throw new NotFoundError(`Entity ${entityId} does not exist (or was deleted)`, { entity_id: entityId });
  return e;
}

export async function listEntities(ctx: Ctx, input: { orgSlug: string; levelCode?: string; includeInactive?: boolean }): Promise<{ org_slug: string; entities: Entity[]; total: number }> {
  const shown = (await current(ctx, input.orgSlug)).filter((e) => (input.includeInactive || e.is_active) && (!input.levelCode || e.level_code === input.levelCode));
  return { org_slug: input.orgSlug, entities: shown.map(entityView), total: shown.length };
}

export async function getEntity(ctx: Ctx, input: { orgSlug: string; entityId: string }): Promise<Entity> {
  return entityView(find(await current(ctx, input.orgSlug), input.entityId));
}

export interface Relatives { org_slug: string; entity_id: string; entities: Entity[]; total: number }

export async function childrenOf(ctx: Ctx, input: { orgSlug: string; entityId: string }): Promise<Relatives> {
  const all = await current(ctx, input.orgSlug);
  find(all, input.entityId);
  const kids = all.filter((e) => e.parent_id === input.entityId);
  return { org_slug: input.orgSlug, entity_id: input.entityId, entities: kids.map(entityView), total: kids.length };
}

/** From the root down to the parent. */
export async function ancestorsOf(ctx: Ctx, input: { orgSlug: string; entityId: string }): Promise<Relatives> {
  const all = await current(ctx, input.orgSlug);
  const byId = new Map(all.map((e) => [e.entity_id, e]));
  const up: EntityRow[] = [];
  for (let p = find(all, input.entityId).parent_id; p && up.length <= all.length; p = byId.get(p)?.parent_id ?? null) { const e = byId.get(p); if (e) up.unshift(e); }
  return { org_slug: input.orgSlug, entity_id: input.entityId, entities: up.map(entityView), total: up.length };
}

export async function descendantsOfEntity(ctx: Ctx, input: { orgSlug: string; entityId: string }): Promise<Relatives> {
  const all = await current(ctx, input.orgSlug);
  find(all, input.entityId);
  const ids = new Set(descendantsOf(all, input.entityId));
  const below = all.filter((e) => ids.has(e.entity_id));
  return { org_slug: input.orgSlug, entity_id: input.entityId, entities: below.map(entityView), total: below.length };
}

export interface Tree { org_slug: string; levels: ReturnType<typeof activeLevels>; roots: TreeNode[]; stats: Record<string, number> }

export async function entityTree(ctx: Ctx, input: { orgSlug: string; includeInactive?: boolean }): Promise<Tree> {
  const t = await tenantOf(ctx, input.orgSlug);
  const [cur, lv] = await Promise.all([readCurrent(ctx.warehouse, t), levelState(ctx, t)]);
  const shown = cur.entities.filter((e) => input.includeInactive || e.is_active);
  const levels = activeLevels(lv.levels);
  return { org_slug: input.orgSlug, levels, ...buildTree(shown, levels) };
}

export { hierarchyState };
