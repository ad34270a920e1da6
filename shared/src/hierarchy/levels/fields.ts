import { z } from 'zod';

/** What a level is: the fields a caller may set (the route schemas and the defaults file share them). */
export const LEVEL_CODE = /^[a-z][a-z0-9_]{1,29}$/;
export const ID_PREFIX = /^[A-Z0-9_-]{1,20}$/;
export const MAX_LEVELS = 10;

export const LevelFieldsZ = z.strictObject({
  level: z.number().int().min(1).max(MAX_LEVELS),
  level_code: z.string().regex(LEVEL_CODE, 'lower-case letters, digits and _, 2-30 characters, starting with a letter'),
  level_name: z.string().trim().min(1).max(100),
  level_name_plural: z.string().trim().min(1).max(100),
  parent_level: z.number().int().min(1).max(MAX_LEVELS).nullable(),
  is_required: z.boolean(),
  is_leaf: z.boolean(),
  max_children: z.number().int().min(1).max(100_000).nullable(),
  id_prefix: z.string().regex(ID_PREFIX, 'upper-case letters, digits, _ and -').nullable(),
  id_auto_generate: z.boolean(),
  metadata_schema: z.record(z.string(), z.unknown()).nullable().optional(),
  display_order: z.number().int().min(0).max(1000),
  icon: z.string().max(50).nullable(),
  color: z.string().max(20).nullable(),
});
export type LevelFields = z.infer<typeof LevelFieldsZ>;

/** A level as stored and answered. */
export interface Level extends Omit<LevelFields, 'metadata_schema'> {
  id: string;
  org_slug: string;
  metadata_schema: Record<string, unknown> | null;
  is_active: boolean;
  created_at: string | null;
  created_by: string | null;
  updated_at: string | null;
  updated_by: string | null;
}

/** The structural rules of a set of levels (the ones a single write must keep). Returns the field and the problem, or null. */
export function levelProblem(levels: readonly Pick<Level, 'level' | 'level_code' | 'parent_level' | 'is_leaf' | 'is_active'>[]): { field: string; message: string } | null {
  const byLevel = new Map<number, (typeof levels)[number]>();
  const codes = new Set<string>();
  for (const l of levels) {
    if (byLevel.has(l.level)) return { field: 'level', message: `level ${l.level} exists already` };
    if (codes.has(l.level_code)) return { field: 'level_code', message: `level_code ${l.level_code} exists already` };
    byLevel.set(l.level, l);
    codes.add(l.level_code);
  }
  for (const l of levels) {
    if (l.level === 1 && l.parent_level !== null) return { field: 'parent_level', message: 'level 1 has no parent_level' };
    if (l.level !== 1 && l.parent_level === null) return { field: 'parent_level', message: `level ${l.level} needs a parent_level (a lower level)` };
    if (l.parent_level !== null && l.parent_level >= l.level) return { field: 'parent_level', message: `parent_level of level ${l.level} must be lower than ${l.level}` };
    if (l.parent_level !== null) {
      const parent = byLevel.get(l.parent_level);
      if (!parent) return { field: 'parent_level', message: `level ${l.level}'s parent_level ${l.parent_level} does not exist` };
      if (parent.is_leaf) return { field: 'parent_level', message: `level ${l.parent_level} is a leaf level: no level can have it as parent` };
    }
  }
  return null;
}
