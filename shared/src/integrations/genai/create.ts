import type { Ctx } from '../../context/index.js';
import { ConflictError, ValidationError } from '../../errors.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { FLOW_SPECS, FLOWS, flowView, type Flow } from './flows.js';
import { newFlowRow, type FlowInput } from './model.js';
import { ensureLock, insertEachUnlessPriced, keyVersionsFrom } from './store.js';
import { genaiTarget } from './target.js';

/** Fields of every flow's rows that a custom price may set besides the flow's own. */
const COMMON = new Set(['provider', 'region', 'currency', 'effective_from', 'effective_to', 'status', 'notes']);

/**
 * Adds a custom price to a flow; 201 with the row and its pricing_id (the web app's add flow
 * needs it; the original returned none and failed with 500 anyway). 409 when the key
 * (provider × identifier × region) is priced on its effective_from or later. One serialised
 * MERGE (store.ts), then a read-back that decides 201 or 409, then the audit row.
 */
export async function createFlowPrice(ctx: Ctx, input: { orgSlug: string; flow: Flow; body: FlowInput }) {
  const spec = FLOW_SPECS[input.flow];
  const problems: Record<string, string[]> = {};
  const own = new Set([spec.id.field, spec.price.field, ...(spec.output ? [spec.output.field] : []), ...Object.keys(spec.fields)]);
  for (const [k, v] of Object.entries(input.body)) {
    if (v !== undefined && !COMMON.has(k) && !own.has(k)) problems[`body.${k}`] = [`not a field of the ${input.flow} flow (${FLOWS.filter((f) => f !== input.flow).join(' or ')}?)`];
  }
  for (const k of spec.required) if (input.body[k] === undefined || input.body[k] === null) problems[`body.${k}`] = [`is required for a ${input.flow} price`];
  const provider = input.body.provider as string | undefined;
  if (provider && !(spec.providers as readonly string[]).includes(provider)) problems['body.provider'] = [`${input.flow} providers: ${spec.providers.join(', ')}`];
  if (Object.keys(problems).length) throw new ValidationError(`Nothing was created: ${Object.entries(problems).map(([k, m]) => `${k}: ${m.join('; ')}`).join(' | ')}`, problems);

  const { dataset, today } = await genaiTarget(ctx, input.orgSlug);
  const now = ctx.clock();
  const row = newFlowRow(spec, input.body, { today, now, custom: true });
  if (String(row.effective_date) < today) throw new ValidationError(`effective_from ${String(row.effective_date)} is before today (${today}, the org's local date): past days are already reported`, { 'body.effective_from': [`before ${today}`] });
  if (row.end_date !== null && String(row.end_date) < String(row.effective_date)) throw new ValidationError('effective_to is before effective_from', { 'body.effective_to': ['before effective_from'] });
  const wh = ctx.warehouse;
  await ensureLock(wh, dataset, spec, now);
  // A MERGE whose answer was lost may have committed: the read-back decides either way.
  const merged = await insertEachUnlessPriced(wh, dataset, spec, [row], now).then(() => undefined, (err: unknown) => err ?? new Error('MERGE failed'));
  const key = { provider: String(row.provider), id: String(row[spec.id.column]), region: String(row.region), from: String(row.effective_date) };
  const found = await keyVersionsFrom(wh, dataset, spec, key);
  const ours = found.some((r) => r.pricing_id === row.pricing_id);
  if (!ours && merged) throw merged;
  if (!ours) {
    const there = found[0];
    throw new ConflictError(`${input.flow} ${spec.id.field} '${key.id}' of ${String(input.body.provider)} in ${key.region} is already priced${there ? ` (version from ${String(there.effective_date)})` : ''}; override it instead`, {
      [spec.id.field]: key.id, region: key.region, ...(there ? { pricing_id: there.pricing_id, effective_from: there.effective_date } : {}),
    });
  }
  const view = flowView(spec, row);
  await auditAfter(ctx, { orgSlug: input.orgSlug, action: 'GENAI_PRICING_CREATE', resourceType: 'GENAI_PRICING', resourceId: String(row.pricing_id), details: { flow: input.flow, after: view } });
  return view;
}
