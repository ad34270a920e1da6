import { randomUUID } from 'node:crypto';
import { actorId, type Ctx } from '../../context/index.js';
import { ConflictError } from '../../errors.js';
import { checkCategory, invalid } from '../common.js';
import { saasCatalog } from '../catalog.js';
import { listProviders, setProvider } from '../providers/store.js';
import { readWithScope } from '../tables.js';
import { checkDiscount, type PriceFields } from './fields.js';
import { ensurePlansLock, insertPlan, planStored, type InPlaceFields, type NewPlanRow } from './store.js';
import { planView, type PlanView } from './view.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { placeOnHierarchy } from './hierarchy.js';

export type CreatePlanInput = PriceFields & InPlaceFields & {
  orgSlug: string;
  provider: string;
  plan_name: string;
  unit_price: string;
  category?: string;
  is_enabled?: boolean;
  start_date?: string;
  end_date?: string | null;
};

/**
 * Adds a plan (version 1) to a provider. start_date defaults to the org's today; the currency to
 * the org's. An enabled plan of the same name and provider whose dates overlap → 409, decided by
 * one MERGE serialised on the table's lock row (store.ts: insertPlan), so of concurrent creates
 * of one plan exactly one wins.
 *
 * The first plan of a provider the org has no row for (a catalog provider, or any valid name,
 * which becomes a custom provider) enables it: the web app never calls .../enable (enabling is a
 * flag in its own database). That is decided by the same MERGE: only a create whose row went in
 * writes the provider row (enabled, nothing seeded) and audits SAAS_PROVIDER_ENABLE, so of 20
 * concurrent first creates of one plan one enables the provider, once. A provider disabled here
 * (POST .../disable) stays disabled: 409 provider_not_enabled.
 *
 * Round-trips: read (profile | provider row | lock row made sure of), the MERGE, audit; the
 * first plan of a provider: read, the MERGE, the provider row | the plan's audit, the enable's audit.
 */
export async function createPlan(ctx: Ctx, sent: CreatePlanInput): Promise<{ success: boolean; plan: PlanView; message: string }> {
  // The hierarchy fields as the current tree has them (or a 422), before anything is read or written.
  const input = await placeOnHierarchy(ctx, sent.orgSlug, sent);
  const wh = ctx.warehouse;
  const now = ctx.clock();
  // The lock row the deciding MERGE touches is made sure of beside the read (no extra depth).
  const { scope, result: [providers] } = await readWithScope(ctx, input.orgSlug, (ds) => Promise.all([listProviders(wh, ds, input.provider), ensurePlansLock(wh, ds, now)]));
  const catalog = saasCatalog().find(input.provider);
  const providerRow = providers.get(input.provider);
  if (providerRow && !providerRow.is_enabled) {
    throw new ConflictError(`Provider ${input.provider} was disabled for this org: POST .../providers/${input.provider}/enable first`, { reason: 'provider_not_enabled' });
  }
  const enables = !providerRow;
  const start = input.start_date ?? scope.today;
  if (input.end_date && input.end_date < start) throw invalid('end_date', `end_date ${input.end_date} is before start_date ${start}`);
  const row: NewPlanRow = {
    org_slug: input.orgSlug,
    subscription_id: randomUUID(),
    plan_id: randomUUID(),
    version: 1,
    provider: input.provider,
    plan_name: input.plan_name.toUpperCase(),
    display_name: input.display_name ?? null,
    category: checkCategory(input.category ?? providerRow?.category ?? catalog?.category ?? 'other'),
    is_enabled: input.is_enabled ?? true,
    start_date: start,
    end_date: input.end_date ?? null,
    billing_cycle: input.billing_cycle ?? 'monthly',
    currency: input.currency ?? scope.profile.default_currency,
    seats: input.seats ?? 1,
    pricing_model: input.pricing_model ?? 'FLAT_FEE',
    unit_price: input.unit_price,
    yearly_price: input.yearly_price ?? null,
    discount_type: input.discount_type ?? null,
    discount_value: input.discount_value ?? null,
    auto_renew: input.auto_renew ?? true,
    payment_method: input.payment_method ?? null,
    invoice_id_last: input.invoice_id_last ?? null,
    owner_email: input.owner_email ?? null,
    department: input.department ?? null,
    renewal_date: input.renewal_date ?? null,
    contract_id: input.contract_id ?? null,
    notes: input.notes ?? null,
    catalog_plan_id: null,
    created_by: actorId(ctx.actor) ?? null,
    hierarchy_entity_id: input.hierarchy_entity_id ?? null,
    hierarchy_entity_name: input.hierarchy_entity_name ?? null,
    hierarchy_level_code: input.hierarchy_level_code ?? null,
    hierarchy_path: input.hierarchy_path ?? null,
    hierarchy_path_names: input.hierarchy_path_names ?? [],
    source_currency: input.source_currency ?? null,
    source_price: input.source_price ?? null,
    exchange_rate_used: input.exchange_rate_used ?? null,
    billing_anchor_day: input.billing_anchor_day ?? null,
    now,
  };
  checkDiscount(row);
  // A MERGE whose answer was lost may have committed: whether our row is there decides.
  const inserted = await insertPlan(wh, scope.dataset, row).catch(async (err: unknown) => {
    if (await planStored(wh, scope.dataset, row.subscription_id).catch(() => false)) return 1;
    throw err;
  });
  if (inserted === 0) {
    throw new ConflictError(`${input.provider} already has an enabled ${row.plan_name} plan over these dates: change that one (edit-version) or end it first`, { reason: 'plan_name_taken', plan_name: row.plan_name });
  }
  const audit = auditAfter(ctx, { orgSlug: input.orgSlug, action: 'SAAS_PLAN_CREATE', resourceType: 'SAAS_PLAN', resourceId: row.plan_id, details: { after: { ...row, now: undefined } } });
  if (enables) {
    // This create won the MERGE: it, and only it, records the provider as enabled. The plan is
    // in, so a lost provider write is logged, not answered as a failure (a retry would only meet
    // its own plan, 409): until a row is written the provider is enabled by its plans (listings
    // read it so), and its next first-plan create writes the row.
    const providerCategory = catalog ? catalog.category : row.category;
    await Promise.all([
      audit,
      setProvider(wh, scope.dataset, { orgSlug: input.orgSlug, provider: input.provider, displayName: catalog?.display_name ?? null, category: providerCategory, isCustom: !catalog, enabled: true, now })
        .then(
          () => auditAfter(ctx, { orgSlug: input.orgSlug, action: 'SAAS_PROVIDER_ENABLE', resourceType: 'SAAS_PROVIDER', resourceId: input.provider, details: { custom: !catalog, category: providerCategory, seed_plans: false, plans_seeded: 0, by_first_plan: row.plan_id } }),
          (err: unknown) => ctx.logger.log('ERROR', `${input.provider}'s first plan went in but its provider row was not written; the next plan of it writes the row`, { request_id: ctx.requestId, plan_id: row.plan_id, error: err }),
        ),
    ]);
  } else {
    await audit;
  }
  const { now: created, ...stored } = row;
  const plan = planView({ ...stored, superseded_by: null, revision: 0, cancelled_at: null, created_at: created.toISOString(), updated_at: created.toISOString() }, scope.today);
  return { success: true, plan, message: `${row.plan_name} plan of ${input.provider} created from ${start}${enables ? ` (${input.provider} enabled by its first plan)` : ''}` };
}
