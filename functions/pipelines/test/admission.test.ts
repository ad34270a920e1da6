import { describe, expect, it } from 'vitest';
import { onboard } from '../../../shared/test/support/orgs.js';
import { pipelinesApp } from './support/app.js';

/** Admission and completion as the pipeline service calls them, and each defect of the original as a test. */
describe('POST /api/v1/validator/validate/{org}', () => {
  it('admits a SaaS run (no credential needed) with a reservation on the org\'s local day, and the quota moves', async () => {
    const s = await pipelinesApp('admit_co');
    const r = await s.validate('saas_subscription_saas_cost');
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({
      valid: true, org_slug: 'admit_co', org_dataset_id: 'admit_co_prod', pipeline_id: 'saas_subscription_saas_cost',
      pipeline_config: { id: 'saas_subscription_saas_cost', required_integration: null },
      subscription: { plan_name: 'SCALE', status: expect.any(String) },
      reservation_id: expect.any(String), reservation_date: '2026-03-11', // already the 11th in Kolkata
      quota: { pipelines_run_today: 1, pipelines_run_month: 1, concurrent_pipelines_running: 1 },
    });
    expect(r.body.error_code).toBeUndefined();
    expect(Date.parse(r.body.lease_expires_at) - s.time.clock().getTime()).toBe((600 + 300) * 1000);
    expect(await s.dayRows()).toEqual([expect.objectContaining({ usage_date: '2026-03-11', pipelines_run_today: 1, concurrent_pipelines_running: 1, org_id: s.orgId })]);
  });

  it('the first run of a day is admitted (the original refused it: its select-then-insert found no row)', async () => {
    const s = await pipelinesApp('first_co');
    await s.setLimits({ daily: 1 });
    const first = await s.validate('saas_subscription_saas_cost');
    expect(first.body.valid, first.text).toBe(true);
    // The next local day starts at 18:30 UTC: its first run is admitted again.
    s.time.set('2026-03-11T18:30:00Z');
    await s.complete('SUCCESS', first.body.reservation_id);
    const next = await s.validate('saas_subscription_saas_cost');
    expect(next.body).toMatchObject({ valid: true, reservation_date: '2026-03-12' });
  });

  it('the day ends at exactly the plan\'s daily limit (the original refused the run that reached it: one less)', async () => {
    const s = await pipelinesApp('daily_co');
    await s.setLimits({ daily: 3, concurrent: 10 });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await s.validate('saas_subscription_saas_cost'));
    expect(answers.map((a) => a.body.valid)).toEqual([true, true, true, false]);
    expect(answers[3]!.body).toMatchObject({
      error_code: 'QUOTA_EXCEEDED', quota_limit: 'daily',
      quota: { pipelines_run_today: 3, daily_limit: 3, remaining_today: 0 },
      // 20:00 UTC is 01:30 in Kolkata: the next local midnight is 18:30 UTC, 22.5 hours on.
      retry_after_seconds: 22.5 * 3600,
    });
  });

  it('month = the sum of the month\'s days: refused at the monthly limit with retry to the org\'s month start', async () => {
    const s = await pipelinesApp('month_co');
    await s.setLimits({ daily: 10, monthly: 3, concurrent: 10 });
    s.time.set('2026-03-09T20:00:00Z'); // 10 March local
    await s.validate('saas_subscription_saas_cost');
    await s.validate('saas_subscription_saas_cost');
    s.time.set('2026-03-10T20:00:00Z'); // 11 March local
    expect((await s.validate('saas_subscription_saas_cost')).body.valid).toBe(true);
    const refused = await s.validate('saas_subscription_saas_cost');
    expect(refused.body).toMatchObject({ valid: false, error_code: 'QUOTA_EXCEEDED', quota_limit: 'monthly', quota: { pipelines_run_today: 1, pipelines_run_month: 3 } });
    expect(refused.body.retry_after_seconds).toBe((Date.parse('2026-03-31T18:30:00Z') - Date.parse('2026-03-10T20:00:00Z')) / 1000);
  });

  it('concurrent limit: refused with retry_after to the next lease end; a completion frees the slot', async () => {
    const s = await pipelinesApp('conc_co');
    await s.setLimits({ concurrent: 2 });
    const a = await s.validate('saas_subscription_saas_cost');
    s.time.advance(60_000);
    await s.validate('saas_subscription_saas_cost');
    const refused = await s.validate('saas_subscription_saas_cost');
    expect(refused.body).toMatchObject({ valid: false, error_code: 'QUOTA_EXCEEDED', quota_limit: 'concurrent', retry_after_seconds: 900 - 60 });
    expect((await s.complete('SUCCESS', a.body.reservation_id)).body).toMatchObject({ success: true, released: true });
    expect((await s.validate('saas_subscription_saas_cost')).body.valid).toBe(true);
  });

  it('refusals before any counting: unknown pipeline, disabled, inactive subscription, trial or subscription ended, missing or invalid credential', async () => {
    const s = await pipelinesApp('refuse_co');
    expect((await s.validate('no_such_pipeline')).body).toMatchObject({ valid: false, error_code: 'PIPELINE_NOT_FOUND', pipeline_config: null });
    expect((await s.validate('openai_usage_cost')).body).toMatchObject({ valid: false, error_code: 'INTEGRATION_NOT_CONFIGURED' });
    await s.addCredential('OPENAI', 'INVALID');
    expect((await s.validate('openai_usage_cost')).body).toMatchObject({ valid: false, error_code: 'INTEGRATION_NOT_CONFIGURED', error: expect.stringContaining('INVALID') });
    s.time.advance(1000);
    await s.addCredential('OPENAI', 'VALID');
    expect((await s.validate('openai_usage_cost')).body).toMatchObject({ valid: true });
    await s.setLimits({ status: 'SUSPENDED' });
    expect((await s.validate('saas_subscription_saas_cost')).body).toMatchObject({ valid: false, error_code: 'SUBSCRIPTION_INACTIVE' });
    await s.setLimits({ status: 'TRIAL', trial_end_date: '2026-03-10' }); // ended yesterday, local
    expect((await s.validate('saas_subscription_saas_cost')).body).toMatchObject({ valid: false, error_code: 'SUBSCRIPTION_INACTIVE', error: expect.stringContaining('trial') });
    await s.setLimits({ status: 'ACTIVE', trial_end_date: null, subscription_end_date: '2026-03-10' });
    expect((await s.validate('saas_subscription_saas_cost')).body).toMatchObject({ valid: false, error_code: 'SUBSCRIPTION_INACTIVE' });
    // None of the refusals counted: one run today, the one admitted.
    expect((await s.dayRows()).map((r) => r.pipelines_run_today)).toEqual([1]);
  });

  it('include_credentials: true is 422 naming the field; another org\'s path is 403', async () => {
    const s = await pipelinesApp('creds_co');
    const r = await s.call('POST', `/api/v1/validator/validate/${s.org}`, { pipeline_id: 'gcp_billing', include_credentials: true });
    expect(r.status).toBe(422);
    expect(r.body.details.fields).toHaveProperty(['body.include_credentials']);
    const other = await s.call('POST', '/api/v1/validator/validate/someone_else', { pipeline_id: 'gcp_billing' });
    expect(other.status).toBe(403);
    const bad = await s.call('POST', `/api/v1/validator/validate/${s.org}`, { pipeline_id: 'x'.repeat(300) });
    expect(bad.status).toBe(422);
  });
});

describe('POST /api/v1/validator/complete/{org}', () => {
  it('is idempotent: a second completion of one reservation changes nothing', async () => {
    const s = await pipelinesApp('idem_co');
    const v = await s.validate('saas_subscription_saas_cost');
    const first = await s.complete('FAILED', v.body.reservation_id);
    expect(first.body).toMatchObject({ success: true, released: true, pipeline_status: 'FAILED' });
    const again = await s.complete('SUCCESS', v.body.reservation_id);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ success: true, released: false });
    expect(await s.dayRows()).toEqual([expect.objectContaining({ pipelines_run_today: 1, pipelines_succeeded_today: 0, pipelines_failed_today: 1, concurrent_pipelines_running: 0 })]);
    const unknown = await s.complete('SUCCESS', '00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
  });

  it('without a reservation id (the original pipeline service sends none) it releases the oldest open reservation', async () => {
    const s = await pipelinesApp('noid_co');
    const a = await s.validate('saas_subscription_saas_cost');
    s.time.advance(1000);
    await s.validate('saas_subscription_saas_cost');
    const r = await s.call('POST', `/api/v1/validator/complete/${s.org}?pipeline_status=SUCCESS`);
    expect(r.body).toMatchObject({ success: true, released: true });
    expect((await s.complete('SUCCESS', a.body.reservation_id)).body).toMatchObject({ released: false });
    expect((await s.dayRows())[0]).toMatchObject({ pipelines_succeeded_today: 1, concurrent_pipelines_running: 1 });
    const bad = await s.call('POST', `/api/v1/validator/complete/${s.org}?pipeline_status=DONE`);
    expect(bad.status).toBe(422);
    expect(bad.body.details.fields).toHaveProperty(['query.pipeline_status']);
  });

  it('counts on the reservation\'s date even when completed after the org\'s local midnight', async () => {
    const s = await pipelinesApp('midnight_co');
    s.time.set('2026-03-11T18:20:00Z'); // 23:50 on 11 March in Kolkata
    const v = await s.validate('saas_subscription_saas_cost');
    expect(v.body.reservation_date).toBe('2026-03-11');
    s.time.set('2026-03-11T18:40:00Z'); // 00:10 on the 12th
    expect((await s.complete('SUCCESS', v.body.reservation_id)).body.released).toBe(true);
    expect(await s.dayRows()).toEqual([expect.objectContaining({ usage_date: '2026-03-11', pipelines_run_today: 1, pipelines_succeeded_today: 1 })]);
  });

  it('a reservation is the tenant\'s own: another org\'s key cannot complete it (404), and its slot stays held', async () => {
    const s = await pipelinesApp('owner_co');
    const other = await onboard(s.deps, 'other_co', { default_timezone: 'UTC' });
    const v = await s.validate('saas_subscription_saas_cost');
    const r = await s.call('POST', `/api/v1/validator/complete/other_co?pipeline_status=SUCCESS&reservation_id=${v.body.reservation_id}`, undefined, other.api_key);
    expect(r.status).toBe(404);
    expect((await s.dayRows())[0]).toMatchObject({ pipelines_succeeded_today: 0, concurrent_pipelines_running: 1 });
  });

  it('a lease ends a crashed run\'s slot; its late completion still records the outcome', async () => {
    const s = await pipelinesApp('lease_co');
    await s.setLimits({ concurrent: 1 });
    const crashed = await s.validate('saas_subscription_saas_cost');
    expect((await s.validate('saas_subscription_saas_cost')).body.quota_limit).toBe('concurrent');
    s.time.advance((600 + 300) * 1000 + 1);
    const next = await s.validate('saas_subscription_saas_cost');
    expect(next.body.valid).toBe(true);
    const late = await s.complete('SUCCESS', crashed.body.reservation_id);
    expect(late.body.released).toBe(true);
    expect((await s.dayRows())[0]).toMatchObject({ pipelines_run_today: 2, pipelines_succeeded_today: 1, pipelines_failed_today: 0 });
  });
});
