import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getQuota } from '@cloudact/shared/orgs/quota/get';
import { insertRows } from '@cloudact/shared/warehouse/dml';
import { centralSpec } from '@cloudact/shared/orgs/tables';
import { RoundTripMeter, withMeter } from '@cloudact/shared/warehouse/metering';
import { testDeps } from '../../../shared/test/support/deps.js';
import { bootstrap, onboard, settableClock } from '../../../shared/test/support/orgs.js';

describe('quota', () => {
  it('counts today and this month in the org\'s timezone, in one round of queries', async () => {
    const time = settableClock(Date.parse('2026-03-10T20:00:00Z')); // 2026-03-11 01:30 in Kolkata
    const deps = await testDeps({}, { clock: time.clock });
    await bootstrap(deps);
    await onboard(deps, 'usage_co', { default_timezone: 'Asia/Kolkata', subscription_plan: 'STARTER' });
    const { org_id } = await deps.profiles.get('usage_co');
    const row = (usage_date: string, run: number, extra: Record<string, number> = {}) => ({
      usage_id: randomUUID(), org_slug: 'usage_co', org_id, usage_date, pipelines_run_today: run, pipelines_succeeded_today: run - 1, pipelines_failed_today: 1,
      pipelines_run_month: 0, concurrent_pipelines_running: extra.running ?? 0, daily_limit: 6, last_updated: time.clock(), created_at: time.clock(),
    });
    await insertRows(deps.warehouse, 'organizations', centralSpec('org_usage_quotas'), [
      row('2026-03-11', 4, { running: 1 }), // today in Kolkata (still the 10th in UTC)
      row('2026-03-10', 3),
      row('2026-03-01', 5),
      row('2026-02-28', 50), // last month: not counted
    ]);
    // Running = reservations still open inside their lease (as admission counts them), not a stored counter.
    const reservation = (id: string, leaseMs: number, completed: boolean, tenant = org_id) => ({
      ...row('1970-01-01', 0), monthly_limit: 180, usage_id: id, org_slug: 'usage_co', org_id: tenant, row_kind: 'RESERVATION', usage_date: '1970-01-01', reservation_date: '2026-03-11', pipeline_id: 'openai_usage_cost',
      lease_expires_at: new Date(time.clock().getTime() + leaseMs), completed_at: completed ? time.clock() : null, created_at: time.clock(),
    });
    await insertRows(deps.warehouse, 'organizations', centralSpec('org_usage_quotas'), [
      reservation('r-live', 60_000, false), reservation('r-expired', -60_000, false), reservation('r-done', 60_000, true), reservation('r-other-tenant', 60_000, false, 'an-earlier-tenant'),
    ]);
    // Credentials: the org's newest OPENAI row is VALID (an older INVALID one is retired by it),
    // ANTHROPIC is INVALID, and a VALID row of an earlier tenant of the slug does not count.
    const cred = (id: string, provider: string, status: string, tenant: string | null, at: number) => ({
      credential_id: id, org_slug: 'usage_co', org_id: tenant, provider, encrypted_credential: Buffer.from('x'), credential_type: 'API_KEY',
      validation_status: status, is_active: true, created_at: new Date(time.clock().getTime() - at), updated_at: time.clock(),
    });
    await insertRows(deps.warehouse, 'organizations', centralSpec('org_integration_credentials'), [
      cred('c1', 'OPENAI', 'VALID', org_id, 1000), cred('c2', 'OPENAI', 'INVALID', org_id, 5000),
      cred('c3', 'ANTHROPIC', 'INVALID', org_id, 1000), cred('c4', 'GEMINI', 'VALID', 'an-earlier-tenant', 1000),
    ]);
    const meter = new RoundTripMeter();
    const q = await withMeter(meter, () => getQuota(deps, { orgSlug: 'usage_co' }));
    expect(q).toMatchObject({
      date: '2026-03-11',
      daily: { used: 4, limit: 6, remaining: 2, reset_at: '2026-03-11T18:30:00.000Z' },
      monthly: { used: 12, limit: 180, remaining: 168, reset_at: '2026-03-31T18:30:00.000Z' },
      concurrent: { running: 1, limit: 2 },
      succeeded_today: 3,
      failed_today: 1,
      seatLimit: 5,
      providersLimit: 3,
      configuredProvidersCount: 1,
      pipelinesRunToday: 4,
      dailyUsagePercent: 66.67,
    });
    expect(meter.depth).toBe(1);
  });
});
