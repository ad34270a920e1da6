import { z } from 'zod';
import { EMAIL, METADATA_MAX_BYTES } from '@cloudact/shared/hierarchy/entities/fields';
import { LEVEL_CODE } from '@cloudact/shared/hierarchy/levels/fields';
import { EntityId } from './schemas.js';

/** Entity bodies and answers (CSV ones at the end). */
const Timestamp = z.string().describe('ISO 8601, UTC');
const Metadata = z.record(z.string(), z.unknown()).refine((m) => Buffer.byteLength(JSON.stringify(m)) <= METADATA_MAX_BYTES, `metadata: at most ${METADATA_MAX_BYTES} bytes of JSON`);
const Email = z.string().trim().max(254).regex(EMAIL, 'owner_email: not an e-mail address');

const Details = {
  owner_id: z.string().max(100).nullable().optional(),
  owner_name: z.string().max(200).nullable().optional(),
  owner_email: Email.nullable().optional(),
  description: z.string().max(2000).nullable().optional(),
  metadata: Metadata.nullable().optional(),
  sort_order: z.number().int().min(0).max(1_000_000).nullable().optional(),
  is_active: z.boolean().optional(),
};

export const CreateEntityBody = z.strictObject({
  entity_id: EntityId.optional().describe('Upper-cased; starts with the level\'s id_prefix. Omitted: prefix + 8 hex digits when the level generates ids'),
  entity_name: z.string().trim().min(1, 'entity_name: required').max(200),
  level_code: z.string().regex(LEVEL_CODE, 'level_code: a level code such as c_suite'),
  parent_id: EntityId.nullable().optional().describe('Required except on level 1'),
  ...Details,
});
export const UpdateEntityBody = z.strictObject({ entity_name: z.string().trim().min(1, 'entity_name: not empty').max(200).optional(), ...Details });
export const MoveEntityBody = z.strictObject({ new_parent_id: EntityId.nullable().describe('An entity of the level this entity\'s level names as parent (null only for level 1)') });
export type CreateEntityBody = z.infer<typeof CreateEntityBody>;

export const ListEntitiesQuery = z.strictObject({ level_code: z.string().regex(LEVEL_CODE).optional(), include_inactive: z.stringbool().optional().describe('Default false') });
export const TreeQuery = z.strictObject({ include_inactive: z.stringbool().optional().describe('Default false') });
export const ForceQuery = z.strictObject({ force: z.stringbool().optional().describe('delete: also delete the subtree; seed: replace the current entities by the sample (history kept)') });

export const Entity = z.strictObject({
  id: z.string().describe('This version\'s row id'),
  org_slug: z.string(),
  entity_id: z.string(),
  entity_name: z.string(),
  level: z.number().int(),
  level_code: z.string(),
  parent_id: z.string().nullable(),
  path: z.string().describe('/DEPT-CIO/PROJ-CTO/TEAM-DATA'),
  path_ids: z.array(z.string()),
  path_names: z.array(z.string()),
  depth: z.number().int().describe('0 for level-1 entities'),
  owner_id: z.string().nullable(),
  owner_name: z.string().nullable(),
  owner_email: z.string().nullable(),
  description: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  sort_order: z.number().int().nullable(),
  is_active: z.boolean(),
  version: z.number().int(),
  end_date: Timestamp.nullable().describe('null: the current version'),
  created_at: Timestamp,
  created_by: z.string().describe('Who created the entity (the key id or root)'),
  updated_at: Timestamp.nullable(),
  updated_by: z.string().nullable().describe('Who wrote this version'),
});
export const MovedEntity = Entity.extend({ moved: z.number().int().describe('Versions written: the entity and each descendant whose path changed') });

export const EntitiesResponse = z.strictObject({ org_slug: z.string(), entities: z.array(Entity), total: z.number().int() });
export const RelativesResponse = z.strictObject({ org_slug: z.string(), entity_id: z.string(), entities: z.array(Entity), total: z.number().int() });

/** A tree node. Its children are nodes of the same shape (written out one level: the spec tools do not follow recursive schemas). */
const NodeFields = {
  id: z.string(), entity_id: z.string(), entity_name: z.string(), level: z.number().int(), level_code: z.string(), level_name: z.string(), path: z.string(), depth: z.number().int(),
  owner_name: z.string().nullable(), owner_email: z.string().nullable(), description: z.string().nullable(), is_active: z.boolean(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
};
export const TreeNode = z.strictObject({ ...NodeFields, children: z.array(z.record(z.string(), z.unknown()).describe('A TreeNode (same fields, with its own children)')) });

export const CanDeleteResponse = z.strictObject({
  entity_id: z.string(),
  level_code: z.string(),
  blocked: z.boolean(),
  reason: z.string().nullable(),
  blocking_entities: z.array(z.strictObject({ entity_id: z.string(), entity_name: z.string(), level_code: z.string().describe('For a reference: saas_plan or integration'), type: z.enum(['child', 'reference']) })),
});

import { Level } from './schemas.js';
export const TreeResponse = z.strictObject({
  org_slug: z.string(),
  levels: z.array(Level),
  roots: z.array(TreeNode).describe('Level-1 entities with their children; each entity exactly once'),
  stats: z.record(z.string(), z.number().int()).describe('Entities per level_code, and total'),
});

export const SeedEntitiesResponse = z.strictObject({
  success: z.boolean(), skipped: z.boolean().describe('true: the org had entities and force was not set; nothing written'),
  created_count: z.number().int(), updated_count: z.number().int(), unchanged_count: z.number().int(), message: z.string(),
});

/** CSV import: the file's text in the body (the web app reads the file and sends its content). */
export const ImportBody = z.strictObject({ csv_content: z.string().max(2_000_000, 'csv_content: at most 2 MB').describe('entity_id,entity_name,level,level_code,parent_id,owner_name,owner_email,description,metadata,sort_order') });
const FieldChange = z.strictObject({ field: z.string(), old: z.unknown(), new: z.unknown() });
const ChangeItem = z.strictObject({ entity_id: z.string(), entity_name: z.string(), level_code: z.string(), changes: z.array(FieldChange) });
export const ImportPreviewResponse = z.strictObject({
  summary: z.strictObject({ creates: z.number().int(), updates: z.number().int(), deletes: z.number().int(), unchanged: z.number().int() }),
  is_valid: z.boolean(),
  has_changes: z.boolean(),
  creates: z.array(ChangeItem),
  updates: z.array(ChangeItem).describe('With each changed field (a path change of a descendant too)'),
  deletes: z.array(ChangeItem),
  unchanged: z.array(z.string()),
  validation_errors: z.array(z.strictObject({ row: z.number().int().nullable().describe('1 = the first row after the header'), entity_id: z.string().nullable(), field: z.string(), message: z.string() })),
});
export const ImportResponse = z.strictObject({
  success: z.boolean(), created_count: z.number().int(), updated_count: z.number().int(), deleted_count: z.number().int(), unchanged_count: z.number().int(),
  errors: z.array(z.string()).describe('Always empty on success: a file with problems is 422 with them in detail'), import_started_at: z.string(),
});
