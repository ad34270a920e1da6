import type { Ctx } from '../../context/index.js';
import { NotFoundError, ProviderUnavailableError } from '../../errors.js';
import { tenantOf } from '../../orgs/identity.js';
import { pipelineRegistry } from '../registry/registry.js';
import { lookupWindow } from './window.js';
import { findRun } from './store.js';

export type RetryResult =
  | { forwarded: true; new_pipeline_logging_id: string | null; pipeline_id: string; message: string }
  | { forwarded: false; pipeline_id: string; message: string };

/**
 * Retrying a run is the pipeline service's work: this forwards the run's pipeline and parameters
 * to it (its base URL from the environment variable pipelines.yml names), with the caller's org
 * key, and answers the id of the run it started. Without that URL nothing is forwarded and the
 * caller is told so (501); the original answered success and did nothing. One attempt only: a
 * POST that starts a run is not repeated blindly.
 */
export async function retryPipelineRun(ctx: Ctx, input: { orgSlug: string; pipelineLoggingId: string; orgApiKey: string }): Promise<RetryResult> {
  const tenant = await tenantOf(ctx, input.orgSlug);
  const run = await findRun(ctx.warehouse, tenant, input.pipelineLoggingId, lookupWindow(ctx.clock()));
  if (!run) throw new NotFoundError(`No run '${input.pipelineLoggingId}' for organization '${input.orgSlug}'`, { pipeline_logging_id: input.pipelineLoggingId });
  const registry = pipelineRegistry();
  const pipeline = registry.byId.get(run.pipeline_id);
  if (!pipeline) throw new NotFoundError(`Pipeline '${run.pipeline_id}' of this run is no longer in the registry`, { pipeline_id: run.pipeline_id });
  const base = ctx.config.integrations.baseUrlOverrides[registry.pipeline_service.base_url_env];
  if (!base) {
    return { forwarded: false, pipeline_id: run.pipeline_id, message: `Retry is not available: ${registry.pipeline_service.base_url_env} (the pipeline service's URL) is not configured, so nothing was started` };
  }
  const path = registry.pipeline_service.run_path
    .replace('{org_slug}', encodeURIComponent(input.orgSlug)).replace('{provider}', encodeURIComponent(pipeline.provider))
    .replace('{domain}', encodeURIComponent(pipeline.domain)).replace('{pipeline}', encodeURIComponent(pipeline.pipeline));
  const params = run.parameters && typeof run.parameters === 'object' ? run.parameters as Record<string, unknown> : {};
  let res: Response;
  try {
    res = await fetch(`${base.replace(/\/$/, '')}${path}`, {
      method: 'POST', redirect: 'manual', signal: AbortSignal.timeout(10_000),
      headers: { 'content-type': 'application/json', 'x-api-key': input.orgApiKey },
      body: JSON.stringify({ ...params, trigger_by: `retry:${run.pipeline_logging_id}` }),
    });
  } catch {
    throw new ProviderUnavailableError('The pipeline service did not answer; the run may or may not have started: look at the runs before retrying again', { pipeline_id: run.pipeline_id });
  }
  const text = await res.text();
  if (res.status < 200 || res.status > 299) {
    throw new ProviderUnavailableError(`The pipeline service refused the retry (HTTP ${res.status})`, { pipeline_id: run.pipeline_id, status: res.status });
  }
  let id: string | null = null;
  try { id = ((JSON.parse(text) as { pipeline_logging_id?: unknown }).pipeline_logging_id as string | undefined) ?? null; } catch { id = null; }
  return { forwarded: true, new_pipeline_logging_id: typeof id === 'string' ? id : null, pipeline_id: run.pipeline_id, message: 'The pipeline service started a new run' };
}
