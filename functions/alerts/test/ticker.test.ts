import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlertTicker } from '@cloudact/shared/alerts/evaluate/ticker';
import { createBudget } from '@cloudact/shared/budgets/budgets/create';
import { seedCosts } from '@cloudact/shared/costs/seed/seed';
import { testCtx } from '../../../shared/test/support/orgs.js';
import { alertsApp } from './support/app.js';
import { smtpReceiver } from './support/receivers.js';

let smtp: Awaited<ReturnType<typeof smtpReceiver>>;
beforeAll(async () => { smtp = await smtpReceiver(); });
afterAll(() => smtp.close());

describe('the local gateway\'s alert ticker (ALERTS_TICK_SECONDS)', () => {
  it('runs process-all on its interval, never two at once; an alert is delivered once however many ticks', async () => {
    const a = await alertsApp('tick_co', { env: { SMTP_URL: smtp.url } });
    await seedCosts(a.deps, { orgSlug: 'tick_co', days: 3, rowsPerDay: 10, seed: 2, end: '2026-03-10' });
    const email = (await a.call('POST', '/channels', { channel_type: 'email', name: 'M', email_recipients: ['tick@example.com'] })).body.channel_id;
    const budget = await createBudget(testCtx(a.deps), { orgSlug: 'tick_co', category: 'total', period_type: 'monthly', budget_amount: '1' });
    expect((await a.call('POST', '/rules', { name: 'Tick', rule_type: 'budget_percent', conditions: { threshold_percent: 10, budget_id: budget.budget_id }, notify_channel_ids: [email] })).status).toBe(201);
    const runs: number[] = [];
    const stop = startAlertTicker(a.deps, 1, (r) => runs.push(r.alerts_triggered));
    await new Promise((r) => setTimeout(r, 3500));
    stop();
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.reduce((n, x) => n + x, 0)).toBe(1);
    expect(smtp.mails.filter((m) => m.envelopeTo.includes('tick@example.com'))).toHaveLength(1);
  }, 30_000);
});
