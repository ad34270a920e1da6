import type { Ctx } from '../../context/index.js';
import { ConflictError, ValidationError } from '../../errors.js';
import { llmTarget } from '../llm-target.js';
import { checkDates, newPricingRow, pricingView, type PricingFields } from './model.js';
import { ensureLock, insertUnlessPriced, versionsFrom } from './store.js';
import { auditAfter } from '../../orgs/audit/store.js';

export type CreatePricingInput = PricingFields & { orgSlug: string; provider: string; model_id: string; input_price_per_1k: string; output_price_per_1k: string };

/**
 * Adds a model's price; 409 when the model is already priced on its effective_date or later
 * (a retired model may be priced again from after its end).
 *   1. make sure the table's lock row exists (insert if absent)
 *   2. insert unless priced, serialised by the lock row (store.ts explains why that holds)
 *   3. read back: our row (201), or the version that was there (409); also after a MERGE whose answer was lost
 *   4. audit row
 */
export async function createPricing(ctx: Ctx, input: CreatePricingInput) {
  const { def, dataset, today } = await llmTarget(ctx, input.orgSlug, input.provider);
  const now = ctx.clock();
  const { orgSlug: _org, provider: _provider, ...fields } = input;
  const row = newPricingRow(def.canonical, fields, today, now);
  const bad = checkDates(row);
  if (bad) throw new ValidationError(`Nothing was created: ${bad}`, { end_date: [bad] });
  const wh = ctx.warehouse;
  await ensureLock(wh, dataset, now);
  // A MERGE whose answer was lost may have committed: the read-back below decides either way,
  // and only a MERGE that did not commit (our row absent) is reported as the failure it was.
  const merged = await insertUnlessPriced(wh, dataset, row, now).then(() => undefined, (err: unknown) => err ?? new Error('MERGE failed'));
  const found = await versionsFrom(wh, dataset, def.canonical, row.model_id, row.effective_date);
  const ours = found.some((r) => r.pricing_id === row.pricing_id);
  if (!ours && merged) throw merged;
  if (!ours) {
    const there = found[0];
    throw new ConflictError(`${def.display_name} model '${row.model_id}' is already priced${there ? ` (version from ${there.effective_date})` : ''}; change it with PUT, or price it from after its end_date`, {
      model_id: row.model_id, ...(there ? { effective_date: there.effective_date, end_date: there.end_date } : {}),
    });
  }
  await auditAfter(ctx, { orgSlug: input.orgSlug, action: 'LLM_PRICING_CREATE', resourceType: 'LLM_PRICING', resourceId: row.pricing_id, details: { provider: def.canonical, model_id: row.model_id, after: pricingView(row) } });
  return pricingView(row);
}
