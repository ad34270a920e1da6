import { describe, expect, it } from 'vitest';
import { seedPipelineRuns } from '@cloudact/shared/pipelines/seed/seed';
import { testCtx } from '../../../shared/test/support/orgs.js';
import { pipelinesApp } from './support/app.js';

describe('seedPipelineRuns (pnpm seed:pipelines)', () => {
  it('writes runs, RUNNING+final step rows and DQ results the routes show; a rerun replaces, never copies', async () => {
    const s = await pipelinesApp('seed_co');
    s.time.set('2026-03-11T12:00:00Z'); // 17:30 in Kolkata: today's runs have started
    const first = await seedPipelineRuns(testCtx(s.deps), { orgSlug: s.org, days: 5, seed: 7 });
    expect(first).toMatchObject({ from: '2026-03-07', to: '2026-03-11', replaced: 0 });
    expect(first.step_rows).toBeGreaterThan(first.steps); // RUNNING rows and their final rows
    expect(first.dq_results).toBeGreaterThan(0);
    const again = await seedPipelineRuns(testCtx(s.deps), { orgSlug: s.org, days: 5, seed: 7 });
    expect(again).toEqual({ ...first, replaced: first.runs });

    const listed = await s.call('GET', `/api/v1/pipelines/${s.org}/runs?limit=100&start_date=2026-03-01`);
    expect(listed.body.total).toBe(first.runs);
    const statuses = new Set(listed.body.runs.map((r: { status: string }) => r.status));
    expect([...statuses].sort()).toEqual(expect.arrayContaining(['SUCCESS']));
    const status = await s.call('GET', `/api/v1/pipelines/status/${s.org}`);
    expect(status.body.pipelines.filter((p: { ran_today: boolean }) => p.ran_today).length).toBeGreaterThan(0);
    const one = listed.body.runs.find((r: { status: string }) => r.status === 'SUCCESS');
    const detail = await s.call('GET', `/api/v1/pipelines/${s.org}/runs/${one.pipeline_logging_id}`);
    expect(detail.body.steps.length).toBeGreaterThan(0);
    expect(detail.body.steps.every((x: { status: string }) => x.status === 'SUCCESS')).toBe(true);
  });
});
