import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import type { Tenant } from '../../orgs/identity.js';
import { alertScope } from '../scope.js';
import type { Summary, SummaryType } from './fields.js';
import { getSummary, listSummaries } from './store.js';
import { summaryView } from './view.js';

export async function summaryOrThrow(ctx: Ctx, t: Tenant, id: string): Promise<Summary> {
  const s = await getSummary(ctx.warehouse, t, id);
  if (!s) throw new NotFoundError(`No notification summary ${id}`, { summary_id: id });
  return s;
}

export async function listOrgSummaries(ctx: Ctx, input: { orgSlug: string; summary_type?: SummaryType; active_only?: boolean }) {
  const { tenant } = await alertScope(ctx, input.orgSlug);
  const all = await listSummaries(ctx.warehouse, tenant);
  return all.filter((s) => (input.summary_type ? s.summary_type === input.summary_type : true) && (input.active_only ? s.is_active : true)).map(summaryView);
}

export async function getOrgSummary(ctx: Ctx, input: { orgSlug: string; summaryId: string }) {
  const { tenant } = await alertScope(ctx, input.orgSlug);
  return summaryView(await summaryOrThrow(ctx, tenant, input.summaryId));
}
