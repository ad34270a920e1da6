import type { BillingCycle, DiscountType, PricingModel } from '../cost.js';
import { invalid } from '../common.js';
import { Money } from '../money.js';
import type { InPlaceFields, PlanRow } from './store.js';

/** What changes what is paid: only edit-version may change these (a new version from a date). */
export interface PriceFields {
  billing_cycle?: BillingCycle;
  currency?: string;
  seats?: number;
  pricing_model?: PricingModel;
  unit_price?: string;
  yearly_price?: string | null;
  discount_type?: DiscountType | null;
  discount_value?: string | null;
}
export const PRICE_FIELDS = ['billing_cycle', 'currency', 'seats', 'pricing_model', 'unit_price', 'yearly_price', 'discount_type', 'discount_value'] as const satisfies readonly (keyof PriceFields)[];
export const IN_PLACE_FIELDS = ['display_name', 'owner_email', 'department', 'notes', 'contract_id', 'renewal_date', 'payment_method', 'auto_renew', 'invoice_id_last',
  'hierarchy_entity_id', 'hierarchy_entity_name', 'hierarchy_level_code', 'hierarchy_path', 'hierarchy_path_names', 'source_currency', 'source_price', 'exchange_rate_used', 'billing_anchor_day'] as const satisfies readonly (keyof InPlaceFields)[];

/** Whether an in-place field given differs from the stored one (arrays by their elements). */
export function inPlaceDiffers(given: unknown, stored: unknown): boolean {
  if (given === undefined) return false;
  if (Array.isArray(given) || Array.isArray(stored)) return JSON.stringify(given ?? []) !== JSON.stringify(stored ?? []);
  return given !== stored;
}

/** The discount of a plan that would result: both or neither, a percent at most 100. */
export function checkDiscount(p: Pick<PlanRow, 'discount_type' | 'discount_value'>): void {
  if ((p.discount_type === null) !== (p.discount_value === null)) throw invalid('discount_value', 'discount_type and discount_value go together (both, or neither)');
  if (p.discount_type === 'percent' && Money.of(p.discount_value!).cmp(Money.of(100)) > 0) throw invalid('discount_value', 'a percent discount is at most 100');
}

/** Whether a given value differs from the stored one (money compared as numbers: '25' equals '25.00'). */
export function differs(field: keyof PriceFields, given: unknown, stored: unknown): boolean {
  if (given === undefined) return false;
  if ((field === 'unit_price' || field === 'yearly_price' || field === 'discount_value') && given !== null && stored !== null) {
    return Money.of(String(given)).cmp(Money.of(String(stored))) !== 0;
  }
  return given !== stored;
}
