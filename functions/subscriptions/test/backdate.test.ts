import { beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../shared/test/support/orgs.js';
import { subscriptionsApp, type PlanBody } from './support/app.js';

/**
 * A SaaS change that would re-price days already reported (an edit-version from before the
 * org's today, an end before today) must say so ("backdate": true; ?backdate=true for DELETE),
 * or it is refused (422 naming the field and the days); a backdate leaves a SAAS_PLAN_BACKDATE
 * audit row with before and after. The org is in Asia/Kolkata: its today is 2026-03-11.
 */
let s: Awaited<ReturnType<typeof subscriptionsApp>>;
type Err = { detail: string; details: { fields: Record<string, string[]> } };
const create = async (plan_name: string) => (await s.call<{ plan: PlanBody }>('POST', '/providers/slack/plans', { plan_name, unit_price: '10', currency: 'USD', start_date: '2026-01-01' })).body.plan;
const audits = async () => (await rowsOf(s.deps, 'org_audit_logs', s.org, "action = 'SAAS_PLAN_BACKDATE'")).map((r) => (typeof r.details === 'string' ? JSON.parse(r.details) : r.details) as Record<string, unknown>);

beforeAll(async () => {
  s = await subscriptionsApp('backdate_co');
  await s.call('POST', '/providers/slack/enable', {});
});

describe('re-pricing past days needs backdate', () => {
  it('edit-version from before today: 422 naming effective_date; with backdate the new version starts then, audited', async () => {
    const plan = await create('PRO');
    const path = `/providers/slack/plans/${plan.subscription_id}/edit-version`;
    const refused = await s.call<Err>('POST', path, { effective_date: '2026-02-01', seats: 2 });
    expect(refused.status).toBe(422);
    expect(refused.body.details.fields['body.effective_date']?.[0]).toMatch(/2026-02-01 to 2026-03-10.*backdate/);
    expect(refused.body.detail).toMatch(/backdate/);
    expect((await s.call<{ history: PlanBody[] }>('GET', `/providers/slack/plans/${plan.subscription_id}/history`)).body.history).toHaveLength(1);

    const done = await s.call<{ new_plan: PlanBody }>('POST', path, { effective_date: '2026-02-01', seats: 2, backdate: true });
    expect(done.status).toBe(200);
    expect(done.body.new_plan).toMatchObject({ start_date: '2026-02-01', seats: 2 });
    expect((await audits()).find((d) => d.via === 'edit-version')).toMatchObject({ repriced: { from: '2026-02-01', to: '2026-03-10' }, before: { seats: 1, end_date: null }, after: { seats: 2, start_date: '2026-02-01' } });
    // From today on rewrites nothing: no flag needed.
    expect((await s.call('POST', `/providers/slack/plans/${done.body.new_plan.subscription_id}/edit-version`, { effective_date: '2026-03-11', seats: 3 })).status).toBe(200);
  });

  it('DELETE with a past end_date: 422 naming end_date; with backdate=true the plan ends then, audited', async () => {
    const plan = await create('BUSINESS');
    const refused = await s.call<Err>('DELETE', `/providers/slack/plans/${plan.subscription_id}?end_date=2026-03-01`);
    expect(refused.status).toBe(422);
    expect(refused.body.details.fields['query.end_date']?.[0]).toMatch(/2026-03-02 to 2026-03-10.*backdate/);
    expect((await s.call('DELETE', `/providers/slack/plans/${plan.subscription_id}?end_date=2026-03-01&backdate=true`)).status).toBe(200);
    const history = (await s.call<{ history: PlanBody[] }>('GET', `/providers/slack/plans/${plan.subscription_id}/history`)).body.history;
    expect(history.map((p) => p.end_date)).toEqual(['2026-03-01']);
    expect((await audits()).find((d) => d.via === 'end')).toMatchObject({ repriced: { from: '2026-03-02', to: '2026-03-10' }, end_date: '2026-03-01' });
  });

  it('PUT status cancelled with a past end_date: the same', async () => {
    const plan = await create('ENTERPRISE');
    const path = `/providers/slack/plans/${plan.subscription_id}`;
    const refused = await s.call<Err>('PUT', path, { status: 'cancelled', end_date: '2026-02-28' });
    expect(refused.status).toBe(422);
    expect(refused.body.details.fields['body.end_date']?.[0]).toMatch(/2026-03-01 to 2026-03-10.*backdate/);
    const done = await s.call<{ plan: PlanBody }>('PUT', path, { status: 'cancelled', end_date: '2026-02-28', backdate: true });
    expect(done.status).toBe(200);
    expect(done.body.plan.end_date).toBe('2026-02-28');
    expect((await audits()).find((d) => d.via === 'update')).toMatchObject({ repriced: { from: '2026-03-01', to: '2026-03-10' }, before: { end_date: null }, after: { end_date: '2026-02-28' } });
  });
});
