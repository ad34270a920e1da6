import { randomUUID } from 'node:crypto';
import type { CatalogProvider } from '../catalog.js';
import { NO_DETAILS, type NewPlanRow } from '../plans/store.js';

/**
 * The catalog's plans as new org plans: disabled (listed, counted nowhere, so no spend is
 * invented), from the org's today, with the catalog's seat count (0) until the org sets its own.
 */
export function seedRows(def: CatalogProvider, a: { orgSlug: string; today: string; actorId: string | null; now: Date }): NewPlanRow[] {
  return def.plans.map((p) => ({
    org_slug: a.orgSlug,
    subscription_id: randomUUID(),
    plan_id: randomUUID(),
    version: 1,
    provider: def.provider,
    plan_name: p.plan_name,
    display_name: p.display_name,
    category: p.category,
    is_enabled: false,
    start_date: a.today,
    end_date: null,
    billing_cycle: p.billing_cycle,
    currency: p.currency,
    seats: p.seats,
    pricing_model: p.pricing_model,
    unit_price: p.unit_price,
    yearly_price: p.yearly_price,
    discount_type: p.discount_type,
    discount_value: p.discount_value,
    auto_renew: true,
    payment_method: null,
    invoice_id_last: null,
    owner_email: null,
    department: null,
    renewal_date: null,
    contract_id: null,
    notes: p.notes,
    catalog_plan_id: p.catalog_plan_id,
    created_by: a.actorId,
    ...NO_DETAILS,
    now: a.now,
  }));
}
