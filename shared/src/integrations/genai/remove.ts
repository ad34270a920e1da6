import type { Ctx } from '../../context/index.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { FLOW_SPECS, flowView, type Flow, type GenaiProvider, type StoredRow } from './flows.js';
import { lostRace, nextStamp } from './override.js';
import { resolveKey } from './resolve.js';
import { writeVersions } from './store.js';
import { genaiTarget } from './target.js';

/**
 * Soft delete: the current version of one provider × identifier × region gets status 'deleted'
 * (payg: is_enabled false too, so the integrations routes and the cost seed stop using it); its
 * history stays, and include_inactive lists it.
 */
export async function removeFlowPrice(ctx: Ctx, input: { orgSlug: string; flow: Flow; identifier: string; provider?: GenaiProvider; region?: string }) {
  const spec = FLOW_SPECS[input.flow];
  const { dataset, today } = await genaiTarget(ctx, input.orgSlug);
  const current = await resolveKey(ctx, dataset, spec, { id: input.identifier, provider: input.provider, region: input.region, today });
  const at = nextStamp(current, ctx.clock());
  const row: StoredRow = { ...current, status: 'deleted', updated_at: at, ...(spec.flow === 'payg' ? { is_enabled: false } : {}) };
  if (!(await writeVersions(ctx.warehouse, dataset, spec, [{ row, op: 'update' }], [current]))) throw lostRace(input.identifier);
  await auditAfter(ctx, { orgSlug: input.orgSlug, action: 'GENAI_PRICING_DELETE', resourceType: 'GENAI_PRICING', resourceId: String(current.pricing_id), details: { flow: input.flow, before: flowView(spec, current) } });
}
