import type { Ctx } from '../../context/index.js';
import { ValidationError } from '../../errors.js';
import { activeEntityLookup, currentEntity, namesLike } from '../../hierarchy/entities/resolve.js';
import type { Tenant } from '../../orgs/identity.js';
import type { DefaultHierarchy } from './store.js';

/**
 * An integration's default allocation (`default_x_hierarchy_*`, which the pipelines copy onto its
 * usage rows) checked against the current hierarchy on setup and PUT: the entity must be active
 * (else 422 naming it), and its name, level, path and path names come from the tree. Names
 * without an entity are 422; an empty entity clears all five; none given changes nothing.
 */
export async function placeDefaults<T extends DefaultHierarchy>(ctx: Ctx, orgSlug: string, input: T): Promise<T> {
  const id = input.default_x_hierarchy_entity_id;
  if (id === undefined) {
    const stray = (['default_x_hierarchy_entity_name', 'default_x_hierarchy_level_code', 'default_x_hierarchy_path', 'default_x_hierarchy_path_names'] as const).filter((f) => input[f] !== undefined && input[f] !== null);
    if (stray.length) throw new ValidationError(`${stray.join(', ')} need default_x_hierarchy_entity_id (the entity they describe)`, Object.fromEntries(stray.map((f) => [`body.${f}`, ['needs default_x_hierarchy_entity_id']])));
    return input;
  }
  if (id === null || id.trim() === '') {
    return { ...input, default_x_hierarchy_entity_id: null, default_x_hierarchy_entity_name: null, default_x_hierarchy_level_code: null, default_x_hierarchy_path: null, default_x_hierarchy_path_names: [] };
  }
  const e = await currentEntity(ctx, orgSlug, id, 'body.default_x_hierarchy_entity_id');
  return {
    ...input, default_x_hierarchy_entity_id: e.entity_id, default_x_hierarchy_entity_name: e.entity_name, default_x_hierarchy_level_code: e.level_code,
    default_x_hierarchy_path: e.path, default_x_hierarchy_path_names: namesLike(input.default_x_hierarchy_path_names, e),
  };
}

/**
 * What an integration shows of its default entity follows the tree (as a SaaS plan's does): each
 * stored row is mapped to the entity as it is now (renamed, moved), keeping what was stored for an
 * entity the tree no longer has. One read of the tree, run beside the credentials read.
 */
export async function currentDefaults(ctx: Pick<Ctx, 'warehouse'>, t: Tenant): Promise<<R extends DefaultHierarchy>(row: R) => R> {
  const entityOf = await activeEntityLookup(ctx.warehouse, t);
  return (row) => {
    const e = entityOf(row.default_x_hierarchy_entity_id);
    if (!e) return row;
    return { ...row, default_x_hierarchy_entity_name: e.entity_name, default_x_hierarchy_level_code: e.level_code, default_x_hierarchy_path: e.path, default_x_hierarchy_path_names: namesLike(row.default_x_hierarchy_path_names, e) };
  };
}
