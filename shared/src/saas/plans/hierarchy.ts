import type { Ctx } from '../../context/index.js';
import { ValidationError } from '../../errors.js';
import { activeEntityLookup, currentEntity, namesLike } from '../../hierarchy/entities/resolve.js';
import { tenantOf } from '../../orgs/identity.js';

/** The five hierarchy fields a plan carries (the web app's cascading entity picker sends them all). */
export interface PlanHierarchy {
  hierarchy_entity_id?: string | null;
  hierarchy_entity_name?: string | null;
  hierarchy_level_code?: string | null;
  hierarchy_path?: string | null;
  hierarchy_path_names?: string[] | null;
}

/**
 * A plan's hierarchy fields checked against the org's CURRENT hierarchy on every write that sets
 * them (create, update and edit-version; the original checked create only): the entity must be an
 * active one, and its name, level, path and path names are taken from the tree, not from the
 * request, so a plan never stores a path that does not exist. Empty or null entity clears all
 * five; no entity in the input changes nothing (one read of the hierarchy only when one is sent).
 */
export async function placeOnHierarchy<T extends PlanHierarchy>(ctx: Ctx, orgSlug: string, input: T): Promise<T> {
  const id = input.hierarchy_entity_id;
  if (id === undefined) {
    const stray = (['hierarchy_entity_name', 'hierarchy_level_code', 'hierarchy_path', 'hierarchy_path_names'] as const).filter((f) => input[f] !== undefined && input[f] !== null);
    if (stray.length) throw new ValidationError(`${stray.join(', ')} need hierarchy_entity_id (the entity they describe)`, Object.fromEntries(stray.map((f) => [`body.${f}`, ['needs hierarchy_entity_id']])));
    return input;
  }
  if (id === null || id.trim() === '') {
    return { ...input, hierarchy_entity_id: null, hierarchy_entity_name: null, hierarchy_level_code: null, hierarchy_path: null, hierarchy_path_names: [] };
  }
  const entity = await currentEntity(ctx, orgSlug, id, 'body.hierarchy_entity_id');
  const names = namesLike(input.hierarchy_path_names, entity);
  return { ...input, hierarchy_entity_id: entity.entity_id, hierarchy_entity_name: entity.entity_name, hierarchy_level_code: entity.level_code, hierarchy_path: entity.path, hierarchy_path_names: names };
}

/**
 * What a plan shows of its entity follows the tree: a list maps each stored row's hierarchy
 * fields to the entity as it is now (renamed, moved), keeping what was stored for an entity the
 * tree no longer has. One read of the tree, beside the plans read.
 */
export async function currentPlacement(ctx: Ctx, orgSlug: string): Promise<<R extends PlanHierarchy>(row: R) => R> {
  const entityOf = await activeEntityLookup(ctx.warehouse, await tenantOf(ctx, orgSlug));
  return (row) => {
    const e = entityOf(row.hierarchy_entity_id);
    if (!e) return row;
    return { ...row, hierarchy_entity_name: e.entity_name, hierarchy_level_code: e.level_code, hierarchy_path: e.path, hierarchy_path_names: namesLike(row.hierarchy_path_names, e) };
  };
}
