import { NotFoundError } from '../../errors.js';
import { saasCatalog, type CatalogPlan } from '../catalog.js';
import { currencyScale } from '../cost.js';
import { jsonNumber, showDecimal } from '../money.js';

export interface AvailablePlan {
  plan_name: string;
  display_name: string;
  billing_cycle: CatalogPlan['billing_cycle'];
  pricing_model: CatalogPlan['pricing_model'];
  currency: string;
  unit_price: number;
  unit_price_usd: number;
  unit_price_exact: string;
  yearly_price: number | null;
  seats: number;
  category: string;
  discount_type: CatalogPlan['discount_type'];
  discount_value: number | null;
  notes: string | null;
}

/** The catalog's plan templates of a provider (no warehouse call); prices as JSON numbers (exact: the catalog's have at most 15 significant digits), unit_price_exact as the exact string. */
export function availablePlans(input: { provider: string }): { success: boolean; provider: string; plans: AvailablePlan[] } {
  const def = saasCatalog().find(input.provider);
  if (!def) throw new NotFoundError(`'${input.provider}' is not a catalog provider`, { providers: saasCatalog().providers.map((p) => p.provider) });
  return {
    success: true,
    provider: def.provider,
    plans: def.plans.map((p) => {
      const scale = currencyScale(p.currency);
      const unit = showDecimal(p.unit_price, scale);
      return {
        plan_name: p.plan_name, display_name: p.display_name, billing_cycle: p.billing_cycle, pricing_model: p.pricing_model, currency: p.currency,
        unit_price: jsonNumber(unit), unit_price_usd: jsonNumber(unit), unit_price_exact: unit, yearly_price: jsonNumber(p.yearly_price),
        seats: p.seats, category: p.category, discount_type: p.discount_type, discount_value: jsonNumber(p.discount_value), notes: p.notes,
      };
    }),
  };
}
