import { NotFoundError } from '../../errors.js';
import { pipelineRegistry, type RegistryPipeline } from './registry.js';

/** The registry's pipelines, optionally of one provider; `enabledOnly` holds with or without it (the original dropped it with a provider). */
export function listPipelines(input: { provider?: string; enabledOnly: boolean }): { success: true; pipelines: RegistryPipeline[]; total: number } {
  const provider = input.provider?.toLowerCase();
  const pipelines = pipelineRegistry().pipelines
    .filter((p) => provider === undefined || p.provider === provider)
    .filter((p) => !input.enabledOnly || p.enabled);
  return { success: true, pipelines, total: pipelines.length };
}

export function getPipeline(input: { pipelineId: string }): RegistryPipeline {
  const p = pipelineRegistry().byId.get(input.pipelineId);
  if (!p) throw new NotFoundError(`Pipeline '${input.pipelineId}' is not in the registry`, { pipeline_id: input.pipelineId });
  return p;
}
