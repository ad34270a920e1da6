import type { Ctx } from '../../context/index.js';
import { ValidationError } from '../../errors.js';
import { tenantOf, type Tenant } from '../../orgs/identity.js';
import { readCurrent, type EntityRow } from './store.js';

/**
 * The active entity `id` names in the org's current hierarchy, or a 422 naming `field` (how a
 * plan or an integration that points at an entity is checked: the original checked plans on
 * create only, integrations never). One read of the tree.
 */
export async function currentEntity(ctx: Pick<Ctx, 'warehouse' | 'actor' | 'profiles'>, orgSlug: string, id: string, field: string): Promise<EntityRow> {
  const { entities } = await readCurrent(ctx.warehouse, await tenantOf(ctx, orgSlug));
  const entity = entities.find((e) => e.is_active && e.entity_id.toUpperCase() === id.trim().toUpperCase());
  if (!entity) {
    const message = `${field.replace(/^body\./, '')} ${id} is not an active entity of this org's hierarchy (GET /api/v1/hierarchy/${orgSlug}/tree lists them)`;
    throw new ValidationError(message, { [field]: [message] });
  }
  return entity;
}

/**
 * The tenant's active entities by id as the tree has them now (one read): how what points at an
 * entity (a SaaS plan, an integration's default) shows it renamed or moved. Ids compare upper-cased.
 */
export async function activeEntityLookup(wh: Ctx['warehouse'], t: Tenant): Promise<(id: string | null | undefined) => EntityRow | undefined> {
  const { entities } = await readCurrent(wh, t);
  const byId = new Map(entities.filter((e) => e.is_active).map((e) => [e.entity_id.toUpperCase(), e]));
  return (id) => (id ? byId.get(id.toUpperCase()) : undefined);
}

/** Path names as the caller sent them: joined ("A > B > C", as the later web app sends) or as an array. */
export function namesLike(sent: unknown, entity: EntityRow): string[] {
  const joined = typeof sent === 'string' || (Array.isArray(sent) && sent.length === 1 && String(sent[0]).includes(' > '));
  return joined ? [entity.path_names.join(' > ')] : entity.path_names;
}
