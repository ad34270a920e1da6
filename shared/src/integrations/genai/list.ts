import type { Ctx } from '../../context/index.js';
import { FLOW_SPECS, FLOWS, flowView, type Flow, type FlowSpec, type FlowView, type GenaiProvider } from './flows.js';
import { listInForce } from './store.js';
import { genaiTarget } from './target.js';

export interface FlowListInput { orgSlug: string; provider?: GenaiProvider; includeInactive: boolean; limit: number; offset: number }

const providersOf = (spec: FlowSpec, provider?: GenaiProvider): string[] => (provider ? (spec.providers.includes(provider) ? [spec.stored(provider)] : []) : spec.providers.map((p) => spec.stored(p)));

async function page(ctx: Ctx, dataset: string, today: string, flow: Flow, input: FlowListInput): Promise<{ data: FlowView[]; total: number }> {
  const spec = FLOW_SPECS[flow];
  const providers = providersOf(spec, input.provider);
  if (!providers.length) return { data: [], total: 0 };
  const { rows, total } = await listInForce(ctx.warehouse, dataset, spec, { providers, asOf: today, includeInactive: input.includeInactive, limit: input.limit, offset: input.offset });
  return { data: rows.map((r) => flowView(spec, r)), total };
}

/** One flow's prices in force today (org local day), a page of them: `{flow, count, total_count, data}`. */
export async function listFlowPricing(ctx: Ctx, input: FlowListInput & { flow: Flow }) {
  const { dataset, today } = await genaiTarget(ctx, input.orgSlug);
  const { data, total } = await page(ctx, dataset, today, input.flow, input);
  return { flow: input.flow, count: data.length, total_count: total, data };
}

/** Every flow's prices in force today, the three reads in parallel; limit/offset apply to each flow's list. */
export async function listGenaiPricing(ctx: Ctx, input: FlowListInput) {
  const { dataset, today } = await genaiTarget(ctx, input.orgSlug);
  const [payg, commitment, infrastructure] = await Promise.all(FLOWS.map((f) => page(ctx, dataset, today, f, input)));
  return {
    org_slug: input.orgSlug, as_of: today,
    payg: payg!.data, commitment: commitment!.data, infrastructure: infrastructure!.data,
    total_count: payg!.total + commitment!.total + infrastructure!.total,
  };
}
