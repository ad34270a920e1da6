import { insertRows } from '@cloudact/shared/warehouse/dml';
import { costSpec } from '../../../../shared/src/costs/ledger/store.js';
import { addDays, startOfLocalDay } from '../../../../shared/src/i18n/dates.js';
import type { Deps } from './app.js';

/** One ledger row of a local day, as a pipeline writes it (an hour-long charge starting at `hour` local time). */
export interface LedgerRow {
  day: string;
  provider: string;
  service: string;
  sku: string;
  cost: number;
  model?: string;
  category?: 'cloud' | 'llm' | 'saas';
  charge?: 'Usage' | 'Purchase' | 'Tax' | 'Credit';
  hour?: number;
  currency?: string;
  /** The hierarchy entity the pipelines tagged the row with, and its path. */
  entity?: { id: string; path: string };
}

/** Writes ledger rows into the org's cost table (DML, in chunks), in the org's local days. */
export async function insertLedger(deps: Deps, orgSlug: string, timeZone: string, rows: readonly LedgerRow[]): Promise<void> {
  const profile = await deps.profiles.get(orgSlug);
  const spec = costSpec();
  let n = 0;
  for (let i = 0; i < rows.length; i += 200) {
    await insertRows(deps.warehouse, profile.org_dataset_id, spec, rows.slice(i, i + 200).map((r) => {
      const start = new Date(startOfLocalDay(r.day, timeZone).getTime() + (r.hour ?? 9) * 3_600_000);
      const cost = r.cost.toFixed(6);
      return {
        ChargePeriodStart: start, ChargePeriodEnd: new Date(start.getTime() + 3_600_000),
        BilledCost: cost, EffectiveCost: cost, ListCost: cost, BillingCurrency: r.currency ?? 'USD',
        ProviderName: r.provider, ServiceName: r.service, SkuId: r.sku, x_Model: r.model ?? null,
        x_CostCategory: r.category ?? 'cloud', ChargeCategory: r.charge ?? 'Usage', ChargeFrequency: r.charge === 'Purchase' ? 'One-Time' : 'Usage-Based',
        x_HierarchyEntityId: r.entity?.id ?? null, x_HierarchyPath: r.entity?.path ?? null,
        x_SourceSystem: 'test', x_SourceRecordId: `t-${r.day}-${++n}`, x_UpdatedAt: start,
      };
    }));
  }
}

/** Days from..to inclusive. */
export function daysFrom(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** A deterministic ±share wobble per day and key (no Math.random: the same ledger every run). */
export function wobble(day: string, key: string, share = 0.05): number {
  let h = 2166136261;
  for (const ch of `${day}|${key}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return 1 + share * ((((h >>> 0) % 2001) - 1000) / 1000);
}

/** 10 weeks of usage: Compute Engine (two SKUs, weekends at half), BigQuery (weekends at a quarter), one LLM model. */
export function baseLedger(from: string, to: string): LedgerRow[] {
  const rows: LedgerRow[] = [];
  for (const day of daysFrom(from, to)) {
    const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
    const weekend = dow === 0 || dow === 6;
    rows.push({ day, provider: 'Google Cloud', service: 'Compute Engine', sku: 'SKU-N2', cost: 700 * (weekend ? 0.5 : 1) * wobble(day, 'n2') });
    rows.push({ day, provider: 'Google Cloud', service: 'Compute Engine', sku: 'SKU-GPU', cost: 300 * (weekend ? 0.5 : 1) * wobble(day, 'gpu') });
    rows.push({ day, provider: 'Google Cloud', service: 'BigQuery', sku: 'SKU-BQ', cost: 400 * (weekend ? 0.25 : 1) * wobble(day, 'bq') });
    rows.push({ day, provider: 'OpenAI', service: 'OpenAI API', sku: 'gpt-4o', model: 'gpt-4o', category: 'llm', cost: 300 * wobble(day, 'llm') });
    rows.push({ day, provider: 'OpenAI', service: 'OpenAI API', sku: 'gpt-4o-mini', model: 'gpt-4o-mini', category: 'llm', cost: 50 * wobble(day, 'mini') });
  }
  return rows;
}
