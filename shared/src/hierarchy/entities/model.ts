import type { InsertRow } from '../../warehouse/dml.js';
import type { Tenant } from '../../orgs/identity.js';
import type { Level } from '../levels/fields.js';
import { EMAIL, ENTITY_ID, METADATA_MAX_BYTES } from './fields.js';
import { insertedEntity, versionRow, type EntityRow } from './store.js';

/**
 * The hierarchy as a whole: every write computes the desired set of current entities, checks
 * the WHOLE set against the levels (so no write can leave a child under a deleted or moved
 * parent, a cycle, or a stale path), and turns the difference into one statement: the changed
 * and removed current versions closed, their successors inserted (entities/store.ts).
 */
export interface Content {
  entity_id: string;
  entity_name: string;
  level: number;
  level_code: string;
  parent_id: string | null;
  owner_id: string | null;
  owner_name: string | null;
  owner_email: string | null;
  description: string | null;
  metadata: Record<string, unknown> | null;
  sort_order: number | null;
  is_active: boolean;
}

export const CONTENT_FIELDS = ['entity_name', 'level', 'level_code', 'parent_id', 'owner_id', 'owner_name', 'owner_email', 'description', 'metadata', 'sort_order', 'is_active'] as const;
export const DERIVED_FIELDS = ['path', 'path_ids', 'path_names', 'depth'] as const;

export interface Derived { path: string; path_ids: string[]; path_names: string[]; depth: number }

export interface Problem { entity_id: string; field: string; message: string; row?: number }

export const contentOf = (e: EntityRow): Content => ({
  entity_id: e.entity_id, entity_name: e.entity_name, level: e.level, level_code: e.level_code, parent_id: e.parent_id, owner_id: e.owner_id, owner_name: e.owner_name,
  owner_email: e.owner_email, description: e.description, metadata: e.metadata, sort_order: e.sort_order, is_active: e.is_active,
});

const pick = (c: Content): Content => ({
  entity_id: c.entity_id, entity_name: c.entity_name, level: c.level, level_code: c.level_code, parent_id: c.parent_id, owner_id: c.owner_id, owner_name: c.owner_name,
  owner_email: c.owner_email, description: c.description, metadata: c.metadata, sort_order: c.sort_order, is_active: c.is_active,
});

/** Checks one entity's own fields (not its place in the tree). */
export function fieldProblems(c: Content): Omit<Problem, 'entity_id'>[] {
  const out: Omit<Problem, 'entity_id'>[] = [];
  if (!ENTITY_ID.test(c.entity_id)) out.push({ field: 'entity_id', message: `entity_id ${JSON.stringify(c.entity_id)}: upper-case letters, digits, _ and -, 1 to 50` });
  if (!c.entity_name.trim() || c.entity_name.length > 200) out.push({ field: 'entity_name', message: 'entity_name: 1 to 200 characters' });
  if (c.owner_email !== null && !EMAIL.test(c.owner_email)) out.push({ field: 'owner_email', message: `owner_email ${JSON.stringify(c.owner_email)} is not an e-mail address` });
  if (c.metadata !== null && Buffer.byteLength(JSON.stringify(c.metadata)) > METADATA_MAX_BYTES) out.push({ field: 'metadata', message: `metadata: at most ${METADATA_MAX_BYTES} bytes of JSON` });
  return out;
}

/**
 * Checks the whole desired set against the active levels and derives every path. Problems name
 * the entity and the field; with none, `derived` has every entity's path.
 */
export function checkSet(levels: readonly Level[], desired: readonly Content[], current: readonly Content[] = []): { problems: Problem[]; derived: Map<string, Derived> } {
  // An entity stored as it is keeps its id and fields even where a level's rules changed since
  // (a new id_prefix, a lower max_children): only what a write adds or changes is held to them,
  // so a level edit never makes every later write of the org fail. The tree rules hold for all.
  const stored = new Map(current.map((c) => [c.entity_id, JSON.stringify(pick(c))]));
  const storedLevel = new Map(current.map((c) => [c.entity_id, c.level_code]));
  const untouched = (c: Content) => stored.get(c.entity_id) === JSON.stringify(pick(c));
  const before = new Map<string, number>();
  for (const c of current) if (c.parent_id) before.set(c.parent_id, (before.get(c.parent_id) ?? 0) + 1);
  const problems: Problem[] = [];
  const active = new Map(levels.filter((l) => l.is_active).map((l) => [l.level, l]));
  const byCode = new Map(levels.filter((l) => l.is_active).map((l) => [l.level_code, l]));
  const byId = new Map<string, Content>();
  for (const c of desired) {
    if (byId.has(c.entity_id)) problems.push({ entity_id: c.entity_id, field: 'entity_id', message: `entity_id ${c.entity_id} appears twice` });
    byId.set(c.entity_id, c);
  }
  const children = new Map<string, number>();
  for (const c of desired) {
    if (!untouched(c)) for (const p of fieldProblems(c)) problems.push({ entity_id: c.entity_id, ...p });
    const level = byCode.get(c.level_code);
    if (!level) { problems.push({ entity_id: c.entity_id, field: 'level_code', message: `level_code ${c.level_code} is not one of the org's active levels (${[...byCode.keys()].join(', ')})` }); continue; }
    if (level.level !== c.level) { problems.push({ entity_id: c.entity_id, field: 'level', message: `level ${c.level} is not level_code ${c.level_code}'s level (${level.level})` }); continue; }
    if (level.id_prefix && !c.entity_id.startsWith(level.id_prefix) && storedLevel.get(c.entity_id) !== c.level_code) problems.push({ entity_id: c.entity_id, field: 'entity_id', message: `entity_id ${c.entity_id} must start with ${level.id_prefix} (the ${level.level_code} prefix)` });
    if (level.parent_level === null) {
      if (c.parent_id !== null) problems.push({ entity_id: c.entity_id, field: 'parent_id', message: `a ${level.level_code} entity has no parent (level 1)` });
      continue;
    }
    if (c.parent_id === null) { problems.push({ entity_id: c.entity_id, field: 'parent_id', message: `a ${level.level_code} entity needs a parent of level ${level.parent_level} (${active.get(level.parent_level)?.level_code ?? '?'})` }); continue; }
    const parent = byId.get(c.parent_id);
    if (!parent) { problems.push({ entity_id: c.entity_id, field: 'parent_id', message: `parent_id ${c.parent_id} does not exist` }); continue; }
    if (parent.level !== level.parent_level) problems.push({ entity_id: c.entity_id, field: 'parent_id', message: `parent_id ${c.parent_id} is on level ${parent.level}; a ${level.level_code} entity's parent is on level ${level.parent_level}` });
    children.set(c.parent_id, (children.get(c.parent_id) ?? 0) + 1);
  }
  for (const [parentId, n] of children) {
    const parent = byId.get(parentId)!;
    const max = byCode.get(parent.level_code)?.max_children;
    if (max != null && n > max && n > (before.get(parentId) ?? 0)) problems.push({ entity_id: parentId, field: 'parent_id', message: `${parentId} may have at most ${max} children (${n} given)` });
  }
  const derived = new Map<string, Derived>();
  const visiting = new Set<string>();
  const derive = (id: string): Derived | null => {
    const done = derived.get(id);
    if (done) return done;
    const c = byId.get(id);
    if (!c) return null;
    if (visiting.has(id)) { problems.push({ entity_id: id, field: 'parent_id', message: `${id} is its own ancestor (a cycle)` }); return null; }
    visiting.add(id);
    const up = c.parent_id === null ? { path: '', path_ids: [], path_names: [], depth: -1 } : derive(c.parent_id);
    visiting.delete(id);
    if (!up) return null;
    const d = { path: `${up.path}/${c.entity_id}`, path_ids: [...up.path_ids, c.entity_id], path_names: [...up.path_names, c.entity_name], depth: up.depth + 1 };
    derived.set(id, d);
    return d;
  };
  for (const c of desired) derive(c.entity_id);
  return { problems, derived };
}

export interface FieldChange { field: string; old: unknown; new: unknown }
export interface Change { entity_id: string; entity_name: string; level_code: string; changes: FieldChange[] }

export interface Transition {
  creates: Change[];
  updates: Change[];
  deletes: Change[];
  unchanged: string[];
  close: string[];
  insert: InsertRow[];
  /** The inserted versions as the routes answer them. */
  versions: EntityRow[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The difference between the current versions and a checked desired set, as a statement's
 * parts: a changed entity (its content or its derived path) gets its current version closed and
 * the next one inserted; a removed one is closed; a new one starts after the last version its id
 * ever had.
 */
export function transition(t: Tenant, current: readonly EntityRow[], desired: readonly Content[], derived: Map<string, Derived>, last: Map<string, number>, actor: string, now: Date): Transition {
  const cur = new Map(current.map((e) => [e.entity_id, e]));
  const out: Transition = { creates: [], updates: [], deletes: [], unchanged: [], close: [], insert: [], versions: [] };
  const keep = new Set<string>();
  for (const c of desired) {
    keep.add(c.entity_id);
    const d = derived.get(c.entity_id)!;
    const before = cur.get(c.entity_id);
    const next = { ...pick(c), ...d };
    if (!before) {
      out.creates.push({ entity_id: c.entity_id, entity_name: c.entity_name, level_code: c.level_code, changes: [...CONTENT_FIELDS, ...DERIVED_FIELDS].map((f) => ({ field: f, old: null, new: next[f] })) });
      out.insert.push(versionRow(t, { ...next, version: (last.get(c.entity_id) ?? 0) + 1, created_by: actor, updated_by: actor }, now));
      continue;
    }
    const changes = [...CONTENT_FIELDS, ...DERIVED_FIELDS].filter((f) => !same(before[f], next[f])).map((f) => ({ field: f, old: before[f], new: next[f] }));
    if (!changes.length) { out.unchanged.push(c.entity_id); continue; }
    out.updates.push({ entity_id: c.entity_id, entity_name: c.entity_name, level_code: c.level_code, changes });
    out.close.push(before.id);
    out.insert.push(versionRow(t, { ...next, version: Math.max(before.version, last.get(c.entity_id) ?? 0) + 1, created_at: before.created_at, created_by: before.created_by, updated_by: actor }, now));
  }
  out.versions = out.insert.map(insertedEntity);
  for (const e of current) {
    if (keep.has(e.entity_id)) continue;
    out.deletes.push({ entity_id: e.entity_id, entity_name: e.entity_name, level_code: e.level_code, changes: [] });
    out.close.push(e.id);
  }
  return out;
}

/** The entity ids below `id` in `set` (children first), by parent links. */
export function descendantsOf(set: readonly Pick<Content, 'entity_id' | 'parent_id'>[], id: string): string[] {
  const kids = new Map<string, string[]>();
  for (const e of set) if (e.parent_id) kids.set(e.parent_id, [...(kids.get(e.parent_id) ?? []), e.entity_id]);
  const out: string[] = [];
  const queue = [...(kids.get(id) ?? [])];
  while (queue.length) {
    const next = queue.shift()!;
    out.push(next);
    queue.push(...(kids.get(next) ?? []));
  }
  return out;
}
