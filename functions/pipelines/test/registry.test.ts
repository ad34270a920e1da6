import { describe, expect, it } from 'vitest';
import { parseRegistry, pipelineRegistry, REQUIRED_PIPELINE_IDS } from '@cloudact/shared/pipelines/registry/registry';
import { pipelinesApp } from './support/app.js';

describe('the pipeline registry (configs/system/pipelines.yml)', () => {
  it('holds the ids the pipeline service sends, each with the provider it needs (none for SaaS)', () => {
    const r = pipelineRegistry();
    for (const id of REQUIRED_PIPELINE_IDS) expect(r.byId.has(id), id).toBe(true);
    expect(r.byId.get('gcp_billing')!.required_integration).toBe('GCP_SA');
    expect(r.byId.get('openai_usage_cost')!.required_integration).toBe('OPENAI');
    expect(r.byId.get('deepseek_usage_cost')!.required_integration).toBe('DEEPSEEK');
    expect(r.byId.get('saas_subscription_saas_cost')!.required_integration).toBeNull();
  });

  it('a file without one of those ids, or with a bad field, stops the start', () => {
    expect(() => parseRegistry('lease_margin_seconds: 60\npipeline_service: { base_url_env: X_BASE_URL, run_path: /x }\npipelines:\n  - { id: gcp_billing, name: a, description: b, category: c, provider: gcp, domain: cost, pipeline: billing, required_integration: GCP_SA, schedule: daily, enabled: true, default_timeout_seconds: 900 }\n'))
      .toThrow(/openai_usage_cost/);
    expect(() => parseRegistry('lease_margin_seconds: -1\npipeline_service: { base_url_env: X_BASE_URL, run_path: /x }\npipelines: []\n')).toThrow();
  });
});

describe('GET /api/v1/validator/pipelines', () => {
  it('is public and lists the registry; provider= honours enabled_only (the original ignored it)', async () => {
    const s = await pipelinesApp('registry_co');
    const all = await s.call<{ success: boolean; pipelines: { id: string; provider: string; enabled: boolean }[]; total: number }>('GET', '/api/v1/validator/pipelines', undefined, null);
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(all.body.pipelines.length);
    expect(all.body.pipelines.map((p) => p.id)).toEqual(expect.arrayContaining([...REQUIRED_PIPELINE_IDS]));

    const gcp = await s.call<{ pipelines: { provider: string }[] }>('GET', '/api/v1/validator/pipelines?provider=GCP', undefined, null);
    expect(gcp.body.pipelines.length).toBe(3);
    expect(gcp.body.pipelines.every((p) => p.provider === 'gcp')).toBe(true);

    // A disabled pipeline stays out of a provider's list unless enabled_only=false.
    const p = pipelineRegistry().byId.get('gcp_compute_instances')!;
    p.enabled = false;
    try {
      const enabled = await s.call<{ pipelines: { id: string }[] }>('GET', '/api/v1/validator/pipelines?provider=gcp', undefined, null);
      expect(enabled.body.pipelines.map((x) => x.id)).not.toContain('gcp_compute_instances');
      const every = await s.call<{ pipelines: { id: string }[] }>('GET', '/api/v1/validator/pipelines?provider=gcp&enabled_only=false', undefined, null);
      expect(every.body.pipelines.map((x) => x.id)).toContain('gcp_compute_instances');
    } finally {
      p.enabled = true;
    }
  });

  it('GET /pipelines/{id}: one pipeline, 404 in the envelope when unknown, 422 for a malformed id', async () => {
    const s = await pipelinesApp('registry_one');
    const one = await s.call('GET', '/api/v1/validator/pipelines/openai_usage_cost', undefined, null);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: 'openai_usage_cost', provider: 'openai', pipeline: 'usage_cost', required_integration: 'OPENAI', default_timeout_seconds: 600 });
    const missing = await s.call('GET', '/api/v1/validator/pipelines/no_such_pipeline', undefined, null);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: 'NOT_FOUND', request_id: expect.any(String) });
    const bad = await s.call('GET', '/api/v1/validator/pipelines/Bad-Id', undefined, null);
    expect(bad.status).toBe(422);
    expect(bad.body.details.fields).toHaveProperty(['path.pipeline_id']);
  });
});
