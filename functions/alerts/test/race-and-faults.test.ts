import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBudget } from '@cloudact/shared/budgets/budgets/create';
import { seedCosts } from '@cloudact/shared/costs/seed/seed';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import { ensureFiringsLock } from '@cloudact/shared/alerts/firings/store';
import { TEST_ROOT_KEY } from '../../../shared/test/support/deps.js';
import { onboard, testCtx } from '../../../shared/test/support/orgs.js';
import { alertsApp, type AlertsApp } from './support/app.js';
import { proxyWarehouse } from './support/proxy-warehouse.js';
import { httpReceiver, smtpReceiver } from './support/receivers.js';

let smtp: Awaited<ReturnType<typeof smtpReceiver>>;
let hook: Awaited<ReturnType<typeof httpReceiver>>;
beforeAll(async () => { smtp = await smtpReceiver(); hook = await httpReceiver(); });
afterAll(async () => { await smtp.close(); await hook.close(); });

async function root(a: AlertsApp, body: Record<string, unknown>) {
  const res = await a.app.fetch(new Request('http://fn/api/v1/admin/alerts/process-all', { method: 'POST', headers: { 'x-ca-root-key': TEST_ROOT_KEY, 'content-type': 'application/json' }, body: JSON.stringify(body) }));
  return { status: res.status, body: await res.json() as Record<string, any> };
}

/** An org with an e-mail and a webhook channel and a budget rule its seeded costs cross. */
async function world(a: AlertsApp, path: string) {
  await seedCosts(a.deps, { orgSlug: a.org, days: 5, rowsPerDay: 10, seed: 9, end: '2026-03-10' });
  const email = (await a.call('POST', '/channels', { channel_type: 'email', name: 'Finance', email_recipients: [`${a.org}@example.com`] })).body.channel_id;
  const webhook = (await a.call('POST', '/channels', { channel_type: 'webhook', name: 'Ops', webhook_url: hook.url(path) })).body.channel_id;
  const budget = await createBudget(testCtx(a.deps), { orgSlug: a.org, category: 'total', period_type: 'monthly', budget_amount: '1' });
  const r = await a.call('POST', '/rules', { name: 'Budget', rule_type: 'budget_percent', conditions: { threshold_percent: 50, budget_id: budget.budget_id }, notify_channel_ids: [email, webhook] });
  expect(r.status, r.text).toBe(201);
}
const mailsTo = (org: string) => smtp.mails.filter((m) => m.envelopeTo.includes(`${org}@example.com`)).length;
const hooksAt = (path: string) => hook.got.filter((r) => r.path === path).length;

describe('firing once under concurrency and faults', () => {
  it('4 concurrent process-all runs on the concurrent-DML warehouse: each receiver gets the alert exactly once', async () => {
    const warehouse = await DuckDbWarehouse.open(':memory:', { concurrentDml: true, dmlHoldMs: 10 });
    const a = await alertsApp('race_alerts', { overrides: { warehouse }, env: { SMTP_URL: smtp.url } });
    await world(a, '/race');
    const runs = await Promise.all(Array.from({ length: 4 }, () => root(a, { org_slug: 'race_alerts' })));
    expect(runs.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(runs.reduce((n, r) => n + r.body.alerts_triggered, 0), JSON.stringify(runs.map((r) => r.body.orgs))).toBe(1);
    expect(runs.reduce((n, r) => n + r.body.errors, 0)).toBe(0);
    expect(mailsTo('race_alerts')).toBe(1);
    expect(hooksAt('/race')).toBe(1);
  }, 120_000);

  it('a firing MERGE whose answer is lost is read back and delivered once; one that failed before is an error and fires on the next run', async () => {
    const p = proxyWarehouse(await DuckDbWarehouse.open(':memory:'));
    const a = await alertsApp('fault_alerts', { overrides: { warehouse: p.wh }, env: { SMTP_URL: smtp.url } });
    await world(a, '/fault');
    const isFiring = (q: { sql: string }) => /^\s*MERGE INTO \S*org_alert_firings/.test(q.sql);
    // The tenant's lock row first, so that each run below is one firing MERGE.
    const [t] = await a.deps.warehouse.query({ sql: `SELECT onboarding_claim_id AS id FROM ${a.deps.warehouse.table('organizations', 'org_profiles')} WHERE org_slug = 'fault_alerts'` });
    await ensureFiringsLock(a.deps.warehouse, { orgSlug: 'fault_alerts', orgId: String(t!.id) }, a.deps.clock());
    p.fail(isFiring, 'before');
    const failed = await root(a, { org_slug: 'fault_alerts' });
    expect(failed.body).toMatchObject({ success: false, alerts_triggered: 0, notifications_sent: 0, errors: 1 });
    expect(failed.body.rule_errors[0].error).toContain('injected');
    expect(mailsTo('fault_alerts')).toBe(0);
    p.fail(isFiring, 'after');
    const lost = await root(a, { org_slug: 'fault_alerts' });
    expect(lost.body, JSON.stringify(lost.body)).toMatchObject({ alerts_triggered: 1, notifications_sent: 2, errors: 0 });
    expect((await root(a, { org_slug: 'fault_alerts' })).body.alerts_triggered).toBe(0);
    expect(mailsTo('fault_alerts')).toBe(1);
    expect(hooksAt('/fault')).toBe(1);
  }, 60_000);

  it('one org failing is an org_errors entry; the other orgs are evaluated and delivered, each to its own channels only', async () => {
    const p = proxyWarehouse(await DuckDbWarehouse.open(':memory:'));
    const a = await alertsApp('iso_good', { overrides: { warehouse: p.wh }, env: { SMTP_URL: smtp.url } });
    await world(a, '/iso-good');
    const bKey = (await onboard(a.deps, 'iso_bad', { subscription_plan: 'SCALE' })).api_key;
    const b = { ...a, org: 'iso_bad', call: (m: string, path: string, body?: unknown) => a.call(m, path.startsWith('/api/') ? path : `/api/v1/notifications/iso_bad${path}`, body, bKey) };
    await world(b as AlertsApp, '/iso-bad');
    p.fail((q) => /org_notification_rules/.test(q.sql) && q.params?.org === 'iso_bad', 'always');
    const r = await root(a, {});
    expect(r.body.org_errors).toEqual([{ org_slug: 'iso_bad', error: 'injected warehouse failure (before)' }]);
    expect(r.body.orgs.map((o: { org_slug: string }) => o.org_slug)).toEqual(['iso_good']);
    expect(r.body).toMatchObject({ success: false, alerts_triggered: 1, notifications_sent: 2 });
    expect(mailsTo('iso_good')).toBe(1);
    expect(mailsTo('iso_bad')).toBe(0);
    expect(hooksAt('/iso-good')).toBe(1);
    expect(hooksAt('/iso-bad')).toBe(0);
    p.clear();
    const next = await root(a, {});
    expect(next.body).toMatchObject({ success: true, alerts_triggered: 1, org_errors: [] });
    expect(mailsTo('iso_bad')).toBe(1);
    expect(mailsTo('iso_good')).toBe(1);
  }, 60_000);
});
