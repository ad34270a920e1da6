import type { Ctx } from '../../context/index.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import { shownProvider, type FlowSpec, type GenaiProvider, type StoredRow } from './flows.js';
import { isCurrent } from './model.js';
import { latestOfIdentifier, latestOfVersionKey } from './store.js';

/** A pricing_id (what the web app's add flow keeps) names one key by itself. */
const PRICING_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The one current version a change of {identifier} targets: one provider × identifier × region,
 * never every row of the model (the original's override changed all of them). {identifier} is
 * the model (instance type), or a pricing_id of any version of the key. provider and region may
 * be left out only when they leave one candidate; otherwise 422 naming the query field and the
 * candidates.
 */
export async function resolveKey(ctx: Ctx, dataset: string, spec: FlowSpec, a: { id: string; provider?: GenaiProvider; region?: string; today: string; includeDeleted?: boolean }): Promise<StoredRow> {
  const providers = a.provider ? [spec.stored(a.provider)] : spec.providers.map((p) => spec.stored(p));
  const found = PRICING_ID.test(a.id)
    ? await latestOfVersionKey(ctx.warehouse, dataset, spec, { providers, pricingId: a.id })
    : await latestOfIdentifier(ctx.warehouse, dataset, spec, { providers, id: a.id });
  const rows = found
    .filter((r) => (a.includeDeleted ? r.end_date === null || String(r.end_date) >= a.today : isCurrent(r, a.today)))
    .filter((r) => a.region === undefined || ((r.region as string | null) ?? 'global') === a.region);
  if (!rows.length) throw new NotFoundError(`No current ${spec.flow} price for ${spec.id.field} '${a.id}'${a.provider ? ` of ${a.provider}` : ''}${a.region ? ` in ${a.region}` : ''}`);
  if (rows.length > 1) {
    const candidates = rows.map((r) => `${shownProvider(String(r.provider))}/${(r.region as string | null) ?? 'global'}`);
    const field = new Set(rows.map((r) => r.provider)).size > 1 ? 'query.provider' : 'query.region';
    throw new ValidationError(`${spec.id.field} '${a.id}' is priced in ${rows.length} places (${candidates.join(', ')}): name one with ?provider= and ?region=`, { [field]: [`one of ${candidates.join(', ')}`] });
  }
  return rows[0]!;
}
