import { z } from 'zod';
import { OrgSlug } from '@cloudact/shared/orgs/schemas';
import { LevelFieldsZ } from '@cloudact/shared/hierarchy/levels/fields';
import { ENTITY_ID } from '@cloudact/shared/hierarchy/entities/fields';

/** Path parameters, queries and the answers of the hierarchy routes (bodies of entities and CSV: entities.schemas.ts). */
export const OrgParams = z.strictObject({ org_slug: OrgSlug });
export const LevelParams = z.strictObject({ org_slug: OrgSlug, level: z.coerce.number().int().min(1, 'level is 1..10').max(10, 'level is 1..10') });
export const EntityId = z.string().trim().min(1).max(50).transform((s) => s.toUpperCase()).pipe(z.string().regex(ENTITY_ID, 'entity_id: upper-case letters, digits, _ and -, at most 50'));
export const EntityParams = z.strictObject({ org_slug: OrgSlug, entity_id: EntityId });

const QueryBool = z.stringbool();
const Timestamp = z.string().describe('ISO 8601, UTC');

export const IncludeInactiveQuery = z.strictObject({ include_inactive: QueryBool.optional().describe('Default false') });

export const Level = z.strictObject({
  id: z.string(),
  org_slug: z.string(),
  level: z.number().int(),
  level_code: z.string(),
  level_name: z.string(),
  level_name_plural: z.string(),
  parent_level: z.number().int().nullable(),
  is_required: z.boolean(),
  is_leaf: z.boolean(),
  max_children: z.number().int().nullable(),
  id_prefix: z.string().nullable(),
  id_auto_generate: z.boolean(),
  metadata_schema: z.record(z.string(), z.unknown()).nullable(),
  display_order: z.number().int(),
  icon: z.string().nullable(),
  color: z.string().nullable(),
  is_active: z.boolean(),
  created_at: Timestamp.nullable().describe('null while the org reads the configured defaults (nothing stored yet)'),
  created_by: z.string().nullable(),
  updated_at: Timestamp.nullable(),
  updated_by: z.string().nullable(),
});

export const LevelsResponse = z.strictObject({
  org_slug: z.string(),
  levels: z.array(Level),
  total: z.number().int(),
  max_depth: z.number().int().describe('The deepest active level'),
});
export const SeedLevelsResponse = LevelsResponse.extend({ created: z.number().int().describe('Levels stored by this call (0: nothing to do)') });

export const CreateLevelBody = LevelFieldsZ.partial({ parent_level: true, is_required: true, is_leaf: true, max_children: true, id_prefix: true, id_auto_generate: true, display_order: true, icon: true, color: true })
  .extend({ is_active: z.boolean().optional() });
export const UpdateLevelBody = LevelFieldsZ.omit({ level: true, level_code: true, parent_level: true }).partial().extend({ is_active: z.boolean().optional() });
export type CreateLevelBody = z.infer<typeof CreateLevelBody>;
export type UpdateLevelBody = z.infer<typeof UpdateLevelBody>;

export const NoContent = z.undefined();

/** Label allocation rules (issue 18): shapes only; the verbs check formats and the tree (422 naming the field). */
const StoredRule = z.strictObject({ label_key: z.string().max(63), label_value: z.string().max(256), entity_id: z.string().max(50) });
export const RuleVersion = z.strictObject({
  version: z.number().int(), effective_from: z.string(), label_keys: z.array(z.string()), rules: z.array(StoredRule),
  created_at: Timestamp, created_by: z.string().nullable(),
});
export const AllocationRules = z.strictObject({ org_slug: z.string(), current: RuleVersion.nullable(), versions: z.array(RuleVersion) });
export const PutAllocationRulesBody = z.strictObject({
  effective_from: z.string().describe('YYYY-MM-DD, the org\'s local day from which the version allocates'),
  label_keys: z.array(z.string().max(63)).max(20).optional().describe('Priority order; default cost_center, team, department, entity_id'),
  rules: z.array(StoredRule).max(200),
});
export const DryRunBody = z.strictObject({
  start_date: z.string(), end_date: z.string(),
  label_keys: z.array(z.string().max(63)).max(20).optional(),
  rules: z.array(StoredRule).max(200).optional().describe('Draft rules (one version from start_date) instead of the stored versions'),
});
const RuleCost = z.strictObject({ label_key: z.string(), label_value: z.string(), entity_id: z.string(), cost: z.number(), record_count: z.number() });
export const DryRunAnswer = z.strictObject({
  org_slug: z.string(), currency: z.string(), start_date: z.string(), end_date: z.string(),
  total_cost: z.number(), tagged_cost: z.number(), allocated_cost: z.number(), unallocated_cost: z.number(),
  versions: z.array(z.strictObject({ version: z.number().int().nullable(), effective_from: z.string(), allocated_cost: z.number(), rules: z.array(RuleCost) })),
});
