import type { RouteDef } from '@cloudact/shared';
import { listBudgetsRoute } from './routes/budgets/{org_slug}.get.js';
import { createBudgetRoute } from './routes/budgets/{org_slug}.post.js';
import { deleteBudgetRoute } from './routes/budgets/{org_slug}/{budget_id}.delete.js';
import { allocateRoute } from './routes/budgets/{org_slug}/allocate.post.js';
import { allocationTreeRoute } from './routes/budgets/{org_slug}/allocation-tree.get.js';
import { byCategoryRoute } from './routes/budgets/{org_slug}/by-category.get.js';
import { byProviderRoute } from './routes/budgets/{org_slug}/by-provider.get.js';
import { summaryRoute } from './routes/budgets/{org_slug}/summary.get.js';
import { getBudgetRoute } from './routes/budgets/{org_slug}/{budget_id}.get.js';
import { updateBudgetRoute } from './routes/budgets/{org_slug}/{budget_id}.put.js';

/** URL prefixes this function owns (longest match wins; see onboard's routes.ts). */
export const prefixes = ['/api/v1/budgets'] as const;

/** The budgets function's route table (issue 19). Fixed paths come before /{budget_id}. */
export const routes: readonly RouteDef[] = [
  listBudgetsRoute,
  createBudgetRoute,
  summaryRoute,
  byCategoryRoute,
  byProviderRoute,
  allocationTreeRoute,
  allocateRoute,
  getBudgetRoute,
  updateBudgetRoute,
  deleteBudgetRoute,
];
