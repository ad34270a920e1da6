import type { RouteDef } from '@cloudact/shared';
import { listRunsRoute } from './routes/pipelines/{org_slug}/runs.get.js';
import { getRunRoute } from './routes/pipelines/{org_slug}/runs/{pipeline_logging_id}.get.js';
import { listDqResultsRoute } from './routes/pipelines/{org_slug}/runs/{pipeline_logging_id}/dq-results.get.js';
import { downloadRunRoute } from './routes/pipelines/{org_slug}/runs/{pipeline_logging_id}/download.get.js';
import { retryRunRoute } from './routes/pipelines/{org_slug}/runs/{pipeline_logging_id}/retry.post.js';
import { listStepsRoute } from './routes/pipelines/{org_slug}/runs/{pipeline_logging_id}/steps.get.js';
import { statusRoute } from './routes/pipelines/status/{org_slug}.get.js';
import { completeRoute } from './routes/validator/complete/{org_slug}.post.js';
import { listRegistryRoute } from './routes/validator/pipelines.get.js';
import { getRegistryPipelineRoute } from './routes/validator/pipelines/{pipeline_id}.get.js';
import { validateRoute } from './routes/validator/validate/{org_slug}.post.js';

/** URL prefixes this function owns (longest match wins; see onboard's routes.ts). */
export const prefixes = ['/api/v1/validator', '/api/v1/pipelines'] as const;

/** The pipelines function's route table: the registry, admission and completion, run history. */
export const routes: readonly RouteDef[] = [
  listRegistryRoute,
  getRegistryPipelineRoute,
  validateRoute,
  completeRoute,
  listRunsRoute,
  getRunRoute,
  listStepsRoute,
  listDqResultsRoute,
  downloadRunRoute,
  statusRoute,
  retryRunRoute,
];
