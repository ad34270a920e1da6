import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configsDir } from '../../config.js';

/** The five hierarchy columns a ledger row is allocated by (ledger/store.ts HIERARCHY_COLUMNS). */
export interface Allocation {
  x_HierarchyEntityId: string | null;
  x_HierarchyEntityName: string | null;
  x_HierarchyLevelCode: string | null;
  x_HierarchyPath: string | null;
  x_HierarchyPathNames: string | null;
}

interface Entity { id: string; name: string; level: number; levelCode: string; parent: string | null }

let entities: Map<string, Entity> | undefined;

/** configs/costs/hierarchy.csv (the original's 20 sample entities; plain CSV without quoted commas). */
function sample(): Map<string, Entity> {
  if (entities) return entities;
  const lines = readFileSync(join(configsDir(), 'costs/hierarchy.csv'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  entities = new Map(lines.slice(1).map((l) => {
    const [id, name, level, levelCode, parent] = l.split(',') as [string, string, string, string, string];
    return [id, { id, name, level: Number(level), levelCode, parent: parent || null }];
  }));
  return entities;
}

export const UNALLOCATED: Allocation = { x_HierarchyEntityId: null, x_HierarchyEntityName: null, x_HierarchyLevelCode: null, x_HierarchyPath: null, x_HierarchyPathNames: null };

/** The columns of an entity: its id, name, level code, and the path of ids and names from the root. */
export function allocation(entityId: string | null | undefined): Allocation {
  if (!entityId) return UNALLOCATED;
  const e = sample().get(entityId);
  if (!e) throw new Error(`No sample hierarchy entity ${entityId}`);
  const chain: Entity[] = [];
  for (let x: Entity | undefined = e; x; x = x.parent ? sample().get(x.parent) : undefined) chain.unshift(x);
  return {
    x_HierarchyEntityId: e.id, x_HierarchyEntityName: e.name, x_HierarchyLevelCode: e.levelCode,
    x_HierarchyPath: `/${chain.map((x) => x.id).join('/')}`, x_HierarchyPathNames: chain.map((x) => x.name).join(' > '),
  };
}

/**
 * Who the seeded rows are allocated to, as an org would set it up: GCP projects to teams and a
 * business unit, LLM providers to teams (one left unallocated), SaaS plans by provider to a
 * department, a project or a team (one left unallocated). Levels 1-3 all appear.
 */
export const SEED_ALLOCATION = {
  gcpProject: { 'acme-api-prod': 'TEAM-PLATFORMS', 'acme-data': 'TEAM-DATA', 'acme-eu': 'PROJ-BU1' } as Record<string, string>,
  llmProvider: { OpenAI: 'TEAM-DATA', Anthropic: 'TEAM-ARCH' } as Record<string, string>,
  saasProvider: { slack: 'DEPT-COO', github: 'PROJ-CTO', chatgpt_plus: 'TEAM-FINOPS', figma: 'PROJ-BU2' } as Record<string, string>,
};
