import { currencyScale, isPaidOn, runRates } from '../cost.js';
import { jsonNumber, showDecimal, Money } from '../money.js';
import { planStatus, type PlanStatus } from '../status.js';
import type { PlanRow } from './store.js';

/**
 * A plan version as the API shows it: status computed for the org's today, run-rates from the
 * one cost formula. Prices are JSON numbers, because the web app does arithmetic on them
 * (`plan.unit_price.toFixed(2)`): each is the exact stored decimal (at most 15 significant
 * digits, see money.ts jsonNumber), and `unit_price_exact`/`yearly_price_exact` carry it as the
 * exact string at the currency's scale. Run-rates (`monthly_cost`, `annual_cost`) stay exact
 * strings. `unit_price_usd` and `yearly_price_usd` repeat `unit_price` and `yearly_price` (same
 * values, same currency) because the web app reads those names.
 */
export interface PlanView {
  org_slug: string;
  subscription_id: string;
  plan_id: string;
  version: number;
  superseded_by: string | null;
  provider: string;
  plan_name: string;
  display_name: string | null;
  category: string;
  status: PlanStatus;
  is_enabled: boolean;
  start_date: string;
  end_date: string | null;
  cancelled_at: string | null;
  billing_cycle: PlanRow['billing_cycle'];
  currency: string;
  seats: number;
  pricing_model: PlanRow['pricing_model'];
  unit_price: number;
  unit_price_usd: number;
  unit_price_exact: string;
  yearly_price: number | null;
  yearly_price_usd: number | null;
  yearly_price_exact: string | null;
  discount_type: PlanRow['discount_type'];
  discount_value: number | null;
  auto_renew: boolean;
  payment_method: string | null;
  invoice_id_last: string | null;
  owner_email: string | null;
  department: string | null;
  renewal_date: string | null;
  contract_id: string | null;
  notes: string | null;
  catalog_plan_id: string | null;
  hierarchy_entity_id: string | null;
  hierarchy_entity_name: string | null;
  hierarchy_level_code: string | null;
  hierarchy_path: string | null;
  hierarchy_path_names: string[];
  source_currency: string | null;
  source_price: number | null;
  exchange_rate_used: number | null;
  billing_anchor_day: number | null;
  monthly_cost: string;
  annual_cost: string;
  created_at: string;
  updated_at: string | null;
}

export function planView(row: PlanRow, today: string): PlanView {
  const scale = currencyScale(row.currency);
  const rates = runRates(row);
  const unit = showDecimal(row.unit_price, scale);
  const yearly = row.yearly_price === null ? null : showDecimal(row.yearly_price, scale);
  return {
    org_slug: row.org_slug,
    subscription_id: row.subscription_id,
    plan_id: row.plan_id,
    version: row.version,
    superseded_by: row.superseded_by,
    provider: row.provider,
    plan_name: row.plan_name,
    display_name: row.display_name,
    category: row.category,
    status: planStatus(row, today),
    is_enabled: row.is_enabled,
    start_date: row.start_date,
    end_date: row.end_date,
    cancelled_at: row.cancelled_at,
    billing_cycle: row.billing_cycle,
    currency: row.currency,
    seats: row.seats,
    pricing_model: row.pricing_model,
    unit_price: jsonNumber(unit),
    unit_price_usd: jsonNumber(unit),
    unit_price_exact: unit,
    yearly_price: jsonNumber(yearly),
    yearly_price_usd: jsonNumber(yearly),
    yearly_price_exact: yearly,
    discount_type: row.discount_type,
    discount_value: jsonNumber(row.discount_value),
    auto_renew: row.auto_renew,
    payment_method: row.payment_method,
    invoice_id_last: row.invoice_id_last,
    owner_email: row.owner_email,
    department: row.department,
    renewal_date: row.renewal_date,
    contract_id: row.contract_id,
    notes: row.notes,
    catalog_plan_id: row.catalog_plan_id,
    hierarchy_entity_id: row.hierarchy_entity_id,
    hierarchy_entity_name: row.hierarchy_entity_name,
    hierarchy_level_code: row.hierarchy_level_code,
    hierarchy_path: row.hierarchy_path,
    hierarchy_path_names: row.hierarchy_path_names,
    source_currency: row.source_currency,
    source_price: jsonNumber(row.source_price),
    exchange_rate_used: jsonNumber(row.exchange_rate_used),
    billing_anchor_day: row.billing_anchor_day,
    monthly_cost: rates.monthly,
    annual_cost: rates.annual,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export interface CurrencyTotals { [currency: string]: { monthly: string; annual: string } }

/**
 * Run-rate totals per currency over the plans paid for today (enabled, today within their
 * dates): never summed across currencies. `total_monthly_cost`/`total_annual_cost` are JSON
 * numbers (the web app adds and formats them), given only when every counted plan is in one
 * currency (else null); `totals_by_currency` has each as its exact string twin.
 */
export function totals(rows: readonly PlanRow[], today: string, orgCurrency: string): { total_monthly_cost: number | null; total_annual_cost: number | null; currency: string | null; totals_by_currency: CurrencyTotals } {
  const sums = new Map<string, { monthly: Money; annual: Money }>();
  for (const row of rows) {
    if (!isPaidOn(row, today)) continue;
    const r = runRates(row);
    const s = sums.get(row.currency) ?? { monthly: Money.ZERO, annual: Money.ZERO };
    sums.set(row.currency, { monthly: s.monthly.add(Money.of(r.monthly)), annual: s.annual.add(Money.of(r.annual)) });
  }
  const totals_by_currency: CurrencyTotals = {};
  for (const [code, s] of [...sums].sort(([a], [b]) => a.localeCompare(b))) {
    totals_by_currency[code] = { monthly: s.monthly.toFixed(currencyScale(code)), annual: s.annual.toFixed(currencyScale(code)) };
  }
  const codes = Object.keys(totals_by_currency);
  if (codes.length > 1) return { total_monthly_cost: null, total_annual_cost: null, currency: null, totals_by_currency };
  const code = codes[0] ?? orgCurrency;
  const zero = Money.ZERO.toFixed(currencyScale(code));
  return { total_monthly_cost: jsonNumber(totals_by_currency[code]?.monthly ?? zero), total_annual_cost: jsonNumber(totals_by_currency[code]?.annual ?? zero), currency: code, totals_by_currency };
}
