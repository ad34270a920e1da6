import { actorId, type Ctx } from '../../context/index.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { forgetRates } from './rates.js';
import { upsertFixings, type RateRow } from './store.js';

export interface UpsertRatesInput {
  rates: { date: string; currency: string; units_per_eur: string; is_approximation?: boolean }[];
}

/** Operator-loaded rates (units per EUR by day) that win over the shipped reference for their day. */
export async function upsertExchangeRates(ctx: Ctx, input: UpsertRatesInput) {
  const rows: RateRow[] = input.rates.map((r) => ({ date: r.date, currency: r.currency, units_per_eur: r.units_per_eur, is_approximation: r.is_approximation ?? false }));
  const changed = await upsertFixings(ctx.warehouse, rows, ctx.clock(), actorId(ctx.actor) ?? 'unknown');
  forgetRates(ctx.warehouse);
  await auditAfter(ctx, { orgSlug: '_system', action: 'EXCHANGE_RATES_UPSERT', resourceType: 'EXCHANGE_RATES', details: { after: rows } });
  return { success: true as const, rows_received: rows.length, rows_changed: changed };
}
