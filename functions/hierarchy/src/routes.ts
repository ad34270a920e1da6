import type { RouteDef } from '@cloudact/shared';
import { listEntitiesRoute } from './routes/hierarchy/{org_slug}.get.js';
import { createEntityRoute } from './routes/hierarchy/{org_slug}/entities.post.js';
import { deleteEntityRoute } from './routes/hierarchy/{org_slug}/entities/{entity_id}.delete.js';
import { getEntityRoute } from './routes/hierarchy/{org_slug}/entities/{entity_id}.get.js';
import { updateEntityRoute } from './routes/hierarchy/{org_slug}/entities/{entity_id}.put.js';
import { ancestorsRoute } from './routes/hierarchy/{org_slug}/entities/{entity_id}/ancestors.get.js';
import { canDeleteRoute } from './routes/hierarchy/{org_slug}/entities/{entity_id}/can-delete.get.js';
import { childrenRoute } from './routes/hierarchy/{org_slug}/entities/{entity_id}/children.get.js';
import { descendantsRoute } from './routes/hierarchy/{org_slug}/entities/{entity_id}/descendants.get.js';
import { moveEntityRoute } from './routes/hierarchy/{org_slug}/entities/{entity_id}/move.post.js';
import { listLevelsRoute } from './routes/hierarchy/{org_slug}/levels.get.js';
import { createLevelRoute } from './routes/hierarchy/{org_slug}/levels.post.js';
import { deleteLevelRoute } from './routes/hierarchy/{org_slug}/levels/{level}.delete.js';
import { getLevelRoute } from './routes/hierarchy/{org_slug}/levels/{level}.get.js';
import { updateLevelRoute } from './routes/hierarchy/{org_slug}/levels/{level}.put.js';
import { seedLevelsRoute } from './routes/hierarchy/{org_slug}/levels/seed.post.js';
import { treeRoute } from './routes/hierarchy/{org_slug}/tree.get.js';
import { seedEntitiesRoute } from './routes/hierarchy/{org_slug}/entities/seed.post.js';
import { exportRoute } from './routes/hierarchy/{org_slug}/export.get.js';
import { importRoute } from './routes/hierarchy/{org_slug}/import.post.js';
import { getAllocationRulesRoute } from './routes/hierarchy/{org_slug}/allocation-rules.get.js';
import { putAllocationRulesRoute } from './routes/hierarchy/{org_slug}/allocation-rules.put.js';
import { dryRunAllocationRoute } from './routes/hierarchy/{org_slug}/allocation-rules/dry-run.post.js';
import { importPreviewRoute } from './routes/hierarchy/{org_slug}/import/preview.post.js';

/** URL prefixes this function owns (longest match wins; see onboard's routes.ts). */
export const prefixes = ['/api/v1/hierarchy'] as const;

/** The hierarchy function's route table: levels, entities with version history, the tree, CSV. */
export const routes: readonly RouteDef[] = [
  listLevelsRoute,
  getLevelRoute,
  createLevelRoute,
  updateLevelRoute,
  deleteLevelRoute,
  seedLevelsRoute,
  listEntitiesRoute,
  treeRoute,
  getEntityRoute,
  createEntityRoute,
  updateEntityRoute,
  moveEntityRoute,
  canDeleteRoute,
  deleteEntityRoute,
  childrenRoute,
  ancestorsRoute,
  descendantsRoute,
  seedEntitiesRoute,
  exportRoute,
  importPreviewRoute,
  importRoute,
  getAllocationRulesRoute,
  putAllocationRulesRoute,
  dryRunAllocationRoute,
];
