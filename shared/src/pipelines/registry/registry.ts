import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { configsDir } from '../../config.js';
import { readYamlFile } from '../../yaml-file.js';

/**
 * The pipeline registry (configs/system/pipelines.yml), validated once. The pipelines function
 * loads it at cold start, so a broken file stops the instance instead of failing a request.
 */
const Id = z.string().regex(/^[a-z][a-z0-9_]{1,99}$/, 'lower-case letters, digits and _');
export const RegistryPipelineZ = z.strictObject({
  id: Id,
  name: z.string().min(1),
  description: z.string(),
  category: z.string().min(1),
  provider: z.string().min(1),
  domain: z.string().min(1),
  pipeline: z.string().min(1),
  required_integration: z.string().regex(/^[A-Z][A-Z0-9_]*$/).nullable(),
  schedule: z.string().nullable(),
  enabled: z.boolean(),
  default_timeout_seconds: z.number().int().positive().max(86_400),
});
export type RegistryPipeline = z.infer<typeof RegistryPipelineZ>;

const FileZ = z.strictObject({
  lease_margin_seconds: z.number().int().nonnegative().max(86_400),
  pipeline_service: z.strictObject({ base_url_env: z.string().regex(/_BASE_URL$/), run_path: z.string().startsWith('/') }),
  pipelines: z.array(RegistryPipelineZ).min(1),
});
export type PipelineRegistry = z.infer<typeof FileZ> & { byId: Map<string, RegistryPipeline> };

/** The ids the pipeline service sends (the original's registry); the file must keep them. */
export const REQUIRED_PIPELINE_IDS = ['gcp_billing', 'openai_usage_cost', 'anthropic_usage_cost', 'gemini_usage_cost', 'deepseek_usage_cost', 'gcp_billing_accounts', 'gcp_compute_instances', 'saas_subscription_saas_cost'] as const;

let cached: PipelineRegistry | undefined;

export function parseRegistry(text: string): PipelineRegistry {
  return checkRegistry(parse(text));
}

function checkRegistry(value: unknown): PipelineRegistry {
  const file = FileZ.parse(value);
  const byId = new Map<string, RegistryPipeline>();
  for (const p of file.pipelines) {
    if (byId.has(p.id)) throw new Error(`pipelines.yml: pipeline ${p.id} is listed twice`);
    byId.set(p.id, p);
  }
  const missing = REQUIRED_PIPELINE_IDS.filter((id) => !byId.has(id));
  if (missing.length) throw new Error(`pipelines.yml lacks the pipelines the pipeline service calls: ${missing.join(', ')}`);
  return { ...file, byId };
}

/** The registry, read and checked on first use (the function's cold start calls this). */
export function pipelineRegistry(): PipelineRegistry {
  return (cached ??= checkRegistry(readYamlFile(join(configsDir(), 'system/pipelines.yml'))));
}

/** How long a reservation holds a concurrent slot: the pipeline's timeout plus the margin. */
export function leaseSecondsOf(p: RegistryPipeline): number {
  return p.default_timeout_seconds + pipelineRegistry().lease_margin_seconds;
}
