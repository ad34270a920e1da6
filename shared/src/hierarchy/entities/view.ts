import type { Level } from '../levels/fields.js';
import type { EntityRow } from './store.js';

/** An entity as every route answers it (one version; `end_date` null = current). */
export type Entity = Omit<EntityRow, 'org_slug'> & { org_slug: string };

export const entityView = (e: EntityRow): Entity => ({ ...e });

export type TreeNode = {
  id: string;
  entity_id: string;
  entity_name: string;
  level: number;
  level_code: string;
  level_name: string;
  path: string;
  depth: number;
  owner_name: string | null;
  owner_email: string | null;
  description: string | null;
  is_active: boolean;
  metadata: Record<string, unknown> | null;
  children: TreeNode[];
};

const order = (a: EntityRow, b: EntityRow) => (a.sort_order ?? 1e9) - (b.sort_order ?? 1e9) || a.entity_name.localeCompare(b.entity_name) || a.entity_id.localeCompare(b.entity_id);

/** The current entities as a forest: each entity exactly once (one current version per id is what the store keeps). */
export function buildTree(entities: readonly EntityRow[], levels: readonly Level[]): { roots: TreeNode[]; stats: Record<string, number> } {
  const names = new Map(levels.map((l) => [l.level_code, l.level_name]));
  const nodes = new Map<string, TreeNode>();
  for (const e of [...entities].sort(order)) {
    nodes.set(e.entity_id, {
      id: e.id, entity_id: e.entity_id, entity_name: e.entity_name, level: e.level, level_code: e.level_code, level_name: names.get(e.level_code) ?? e.level_code,
      path: e.path, depth: e.depth, owner_name: e.owner_name, owner_email: e.owner_email, description: e.description, is_active: e.is_active, metadata: e.metadata, children: [],
    });
  }
  const roots: TreeNode[] = [];
  for (const e of [...entities].sort(order)) {
    const node = nodes.get(e.entity_id)!;
    const parent = e.parent_id ? nodes.get(e.parent_id) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  const stats: Record<string, number> = {};
  for (const l of levels) if (l.is_active) stats[l.level_code] = 0;
  for (const e of entities) stats[e.level_code] = (stats[e.level_code] ?? 0) + 1;
  stats.total = entities.length;
  return { roots, stats };
}
