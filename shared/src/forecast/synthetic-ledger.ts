import pl from 'nodejs-polars';
import { startOfLocalDay } from '../i18n/dates.js';
import { syntheticSeries, type SyntheticProfile } from './synthetic.js';

/** One usage series of a synthetic ledger: what it is, and how its daily cost moves. */
export interface UsageSeriesSpec {
  category: 'cloud' | 'llm';
  /** The ledger's ProviderName (Google Cloud, OpenAI ...). */
  provider: string;
  service: string;
  currency: string;
  profile: SyntheticProfile;
  seed: number;
  /** Rows per local day (the day's cost split evenly over the day). */
  rowsPerDay: number;
}

/**
 * Ledger rows (FOCUS columns) of synthetic usage series over local days, for tests and the
 * forecast benchmark: the daily costs of `syntheticSeries` (weekday pattern, growth, spikes,
 * deterministic by seed), each day spread over `rowsPerDay` charge periods of the org's local day.
 */
export function usageLedgerRows(specs: readonly UsageSeriesSpec[], first: string, days: number, timeZone: string, now: Date): { frame: pl.DataFrame; daily: { spec: UsageSeriesSpec; series: { day: string; cost: number; spike: boolean }[] }[] } {
  const rows: Record<string, unknown>[] = [];
  const daily = specs.map((spec) => ({ spec, series: syntheticSeries(spec.profile, first, days, spec.seed) }));
  let id = 0;
  for (const { spec, series } of daily) {
    for (const { day, cost } of series) {
      const start = startOfLocalDay(day, timeZone).getTime();
      const step = Math.floor(86_400_000 / spec.rowsPerDay);
      const each = cost / spec.rowsPerDay;
      for (let i = 0; i < spec.rowsPerDay; i++) {
        const amount = each.toFixed(9);
        rows.push({
          ChargePeriodStart: new Date(start + i * step), ChargePeriodEnd: new Date(start + (i + 1) * step),
          BillingPeriodStart: new Date(start), BillingPeriodEnd: new Date(start + 86_400_000),
          BilledCost: amount, EffectiveCost: amount, ListCost: amount, ContractedCost: amount,
          BillingCurrency: spec.currency, ProviderName: spec.provider, PublisherName: spec.provider, InvoiceIssuerName: spec.provider,
          ServiceName: spec.service, ServiceCategory: spec.category === 'llm' ? 'AI and Machine Learning' : 'Compute',
          ChargeCategory: 'Usage', ChargeFrequency: 'Usage-Based', BillingAccountId: `${spec.provider}-synthetic`,
          x_CostCategory: spec.category, x_SourceSystem: 'synthetic', x_SourceRecordId: `synthetic-${id++}`, x_UpdatedAt: now,
          x_HierarchyEntityId: null, x_HierarchyEntityName: null, x_HierarchyLevelCode: null, x_HierarchyPath: null, x_HierarchyPathNames: null,
        });
      }
    }
  }
  const money = ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost'];
  const text = ['x_HierarchyEntityId', 'x_HierarchyEntityName', 'x_HierarchyLevelCode', 'x_HierarchyPath', 'x_HierarchyPathNames'];
  return { frame: pl.DataFrame(rows).withColumns(...money.map((c) => pl.col(c).cast(pl.Decimal(38, 9))), ...text.map((c) => pl.col(c).cast(pl.Utf8))), daily };
}
