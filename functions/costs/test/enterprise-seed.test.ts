import { beforeAll, describe, expect, it } from 'vitest';
import { seedCosts } from '@cloudact/shared/costs/seed/seed';
import { COST_TABLE } from '../../../shared/src/costs/ledger/store.js';
import { costsApp } from './support.js';

/**
 * `seed:costs --profile enterprise`: the shape of a large GCP billing export, deterministic by
 * seed and re-runnable; and the views read it (the monthly rows spread over local days).
 */
type Summary = { summary: { total_cost: number; breakdown_by_provider: { provider: string }[] } };

let t: Awaited<ReturnType<typeof costsApp>>;
const input = { orgSlug: 'ent_co', days: 40, rowsPerDay: 4000, seed: 9, end: '2026-03-10', profile: 'enterprise' as const };

async function shape() {
  const wh = t.deps.warehouse;
  const [row] = await wh.query({
    sql: `SELECT COUNT(*) AS n, COUNT(DISTINCT ServiceName) AS services, COUNT(DISTINCT SkuId) AS skus, COUNT(DISTINCT SubAccountId) AS projects,
            COUNT(DISTINCT BillingAccountId) AS accounts, COUNT(DISTINCT BillingCurrency) AS currencies, COUNT(DISTINCT RegionId) AS regions,
            COUNT(DISTINCT x_Model) AS models, COUNTIF(ARRAY_LENGTH(Tags) = 3) AS tagged,
            COUNTIF(ChargeCategory = 'Credit' AND EffectiveCost < 0) AS credits, COUNTIF(ChargeCategory = 'Tax') AS taxes, COUNTIF(ChargeCategory = 'Purchase' AND x_CostCategory = 'cloud') AS purchases,
            COUNTIF(x_CostCategory = 'cloud' AND UNIX_SECONDS(ChargePeriodEnd) - UNIX_SECONDS(ChargePeriodStart) > 172800) AS multi_day, COUNT(DISTINCT x_SourceRecordId) AS ids,
            CAST(SUM(EffectiveCost) AS STRING) AS total
          FROM ${wh.table('ent_co_prod', COST_TABLE)}`,
  });
  return row!;
}

beforeAll(async () => {
  t = await costsApp({ slug: 'ent_co', currency: 'USD', timezone: 'America/Los_Angeles', now: '2026-03-10T20:00:00Z' });
  await seedCosts(t.deps, input);
});

describe('the enterprise seed profile', () => {
  it('has the shape of a large billing export: 300 services, 2,000 SKUs, 40 projects, 3 accounts in 2 currencies, 6 regions, Tags, 15 models, credits, monthly rows', async () => {
    const s = await shape();
    expect(Number(s.services)).toBeGreaterThanOrEqual(300);
    expect(Number(s.skus)).toBeGreaterThanOrEqual(1990);
    expect(Number(s.projects)).toBeGreaterThanOrEqual(40);
    expect(Number(s.accounts)).toBeGreaterThanOrEqual(3);
    expect(Number(s.currencies)).toBe(2);
    expect(Number(s.regions)).toBe(6);
    expect(Number(s.models)).toBe(15);
    expect(Number(s.tagged)).toBeGreaterThan(40 * 3000);
    expect(Number(s.credits)).toBe(40 * 3);
    // 1 February and 1 March: support, purchase and tax per account, each over its month.
    expect([Number(s.taxes), Number(s.purchases), Number(s.multi_day)]).toEqual([6, 6, 18]);
    expect(Number(s.ids)).toBe(Number(s.n));
  });

  it('is deterministic by seed and a rerun replaces, never duplicates', async () => {
    const before = await shape();
    const again = await seedCosts(t.deps, input);
    expect(again.replaced_rows).toBe(Number(before.n));
    expect(await shape()).toEqual(before);
  });

  it('the views read it: a monthly fee of 1 March (UTC) spreads, so February in Los Angeles holds its first 8 hours', async () => {
    const feb = await t.get<Summary>('/summary?start_date=2026-02-01&end_date=2026-02-28');
    const mar = await t.get<Summary>('/summary?start_date=2026-03-01&end_date=2026-03-10');
    expect(feb.status).toBe(200);
    expect(mar.status).toBe(200);
    expect(feb.body.summary.breakdown_by_provider.map((p) => p.provider).sort()).toContain('Google Cloud');
    const wh = t.deps.warehouse;
    // The March support fee of the main account (15,000 USD over 744 h): 8 h of it are 28 February in Los Angeles.
    const [row] = await wh.query({
      sql: `SELECT CAST(EffectiveCost AS STRING) AS fee FROM ${wh.table('ent_co_prod', COST_TABLE)} WHERE ServiceName = 'Support' AND BillingCurrency = 'USD' AND ChargePeriodStart = TIMESTAMP '2026-03-01 00:00:00' ORDER BY EffectiveCost DESC LIMIT 1`,
    });
    expect(Number(row!.fee)).toBe(15000);
    const day = await t.get<{ data: { service: string; total_cost: number }[] }>('/by-service?start_date=2026-02-28&end_date=2026-02-28');
    const support = day.body.data.find((r) => r.service === 'Support');
    // 15,000 (main) + 9,000 (research) USD over 744 h × 8 h, and the EUR account's 6,000 at the ECB rate.
    expect(support!.total_cost).toBeGreaterThan(((15_000 + 9_000) / 744) * 8);
  });
});
