import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { FLOW_SPECS, flowView, type Flow, type GenaiProvider, type StoredRow } from './flows.js';
import { checkExpected, lostRace, nextStamp, versionFrom } from './override.js';
import { resolveKey } from './resolve.js';
import { writeVersions } from './store.js';
import { genaiTarget } from './target.js';

/** Ends an override from the org's today: the list price (kept in the base columns) is back, as a new version; the overridden days keep their price. */
export async function removeFlowOverride(ctx: Ctx, input: { orgSlug: string; flow: Flow; identifier: string; provider?: GenaiProvider; region?: string; expected_last_updated?: string }) {
  const spec = FLOW_SPECS[input.flow];
  const { dataset, today } = await genaiTarget(ctx, input.orgSlug);
  const current = await resolveKey(ctx, dataset, spec, { id: input.identifier, provider: input.provider, region: input.region, today });
  if (current.is_override !== true) throw new NotFoundError(`${spec.id.field} '${input.identifier}' has no override`);
  checkExpected(current, input.expected_last_updated);
  const at = nextStamp(current, ctx.clock());
  const next: StoredRow = { ...current, is_override: false, updated_at: at };
  for (const p of [spec.price, spec.output]) {
    if (!p) continue;
    next[p.column] = current[p.base] ?? current[p.column] ?? null;
    next[p.base] = null;
  }
  const from = String(current.effective_date) > today ? String(current.effective_date) : today;
  const writes = versionFrom(current, next, from, at);
  if (!(await writeVersions(ctx.warehouse, dataset, spec, writes, [current]))) throw lostRace(input.identifier);
  const view = flowView(spec, writes[0]!.row);
  await auditAfter(ctx, { orgSlug: input.orgSlug, action: 'GENAI_PRICING_OVERRIDE_REMOVE', resourceType: 'GENAI_PRICING', resourceId: String(writes[0]!.row.pricing_id), details: { flow: input.flow, before: flowView(spec, current), after: view } });
  return view;
}
