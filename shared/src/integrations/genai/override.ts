import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../context/index.js';
import { ConflictError, ValidationError } from '../../errors.js';
import { dayBefore } from '../../i18n/dates.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { FLOW_SPECS, flowView, type Flow, type GenaiProvider, type StoredRow } from './flows.js';
import { toColumn } from './model.js';
import { resolveKey } from './resolve.js';
import { writeVersions, type VersionWrite } from './store.js';
import { genaiTarget } from './target.js';

export interface OverrideInput {
  orgSlug: string; flow: Flow; identifier: string; provider?: GenaiProvider; region?: string;
  override_value: string; override_output_value?: string; notes?: string | null; effective_from?: string; expected_last_updated?: string;
}

/**
 * The last_updated of a change of `current`: now, but always later than the current version's,
 * so that a stale expected_last_updated never matches, even for two writes in one millisecond
 * (or under a frozen test clock).
 */
export function nextStamp(current: StoredRow, now: Date): string {
  const prev = Date.parse(String(current.updated_at));
  return new Date(Number.isNaN(prev) || now.getTime() > prev ? now.getTime() : prev + 1).toISOString();
}

/** 409 when the row changed since the caller read it (its last_updated). */
export function checkExpected(current: StoredRow, expected: string | undefined): void {
  if (expected === undefined) return;
  if (Date.parse(expected) !== Date.parse(String(current.updated_at))) {
    throw new ConflictError(`The price changed since it was read (last_updated is ${String(current.updated_at)}, not ${expected}); nothing was written: read it again and resend`, { reason: 'stale', last_updated: current.updated_at });
  }
}

/**
 * The version `current` becomes from `from` on: in place when it starts that day (it priced no
 * earlier day at this price), else a new version with the current one ended the day before.
 */
export function versionFrom(current: StoredRow, next: StoredRow, from: string, at: string): VersionWrite[] {
  if (from === String(current.effective_date)) return [{ row: { ...next, pricing_id: current.pricing_id ?? null, created_at: current.created_at ?? null, effective_date: current.effective_date ?? null }, op: 'update' }];
  return [{ row: { ...next, pricing_id: randomUUID(), effective_date: from, created_at: at, revision: 0 }, op: 'insert' }, { row: { ...current, end_date: dayBefore(from), updated_at: at }, op: 'update' }];
}

/**
 * Overrides the list price of ONE provider × identifier × region from `effective_from` (the
 * org's today when absent; never before it: those days are reported). The input price and,
 * unlike the original, the output price (payg per 1M, commitment monthly rate). The list price
 * stays in the version's base columns, so removing the override brings it back. A stale
 * expected_last_updated, or a change that lost to another (revision), answers 409.
 */
export async function overrideFlowPrice(ctx: Ctx, input: OverrideInput) {
  const spec = FLOW_SPECS[input.flow];
  if (input.override_output_value !== undefined && !spec.output) throw new ValidationError(`The ${input.flow} flow has one rate: override_output_value does not apply`, { 'body.override_output_value': ['not for this flow'] });
  const { dataset, today } = await genaiTarget(ctx, input.orgSlug);
  const from = input.effective_from ?? today;
  if (from < today) throw new ValidationError(`effective_from ${from} is before today (${today}, the org's local date): those days are already reported`, { 'body.effective_from': [`before ${today}`] });
  const current = await resolveKey(ctx, dataset, spec, { id: input.identifier, provider: input.provider, region: input.region, today });
  checkExpected(current, input.expected_last_updated);
  if (from < String(current.effective_date)) throw new ValidationError(`effective_from ${from} is before the current version's (${String(current.effective_date)})`, { 'body.effective_from': [`before ${String(current.effective_date)}`] });
  const at = nextStamp(current, ctx.clock());
  const wasOverride = current.is_override === true;
  const next: StoredRow = { ...current, is_override: true, updated_at: at, notes: input.notes === undefined ? (current.notes ?? null) : input.notes };
  next[spec.price.base] = (wasOverride ? current[spec.price.base] : current[spec.price.column]) ?? null;
  next[spec.price.column] = toColumn(input.override_value, spec.price.scale, 'override_value');
  if (spec.output) {
    next[spec.output.base] = (wasOverride ? current[spec.output.base] : current[spec.output.column]) ?? null;
    if (input.override_output_value !== undefined) next[spec.output.column] = toColumn(input.override_output_value, spec.output.scale, 'override_output_value');
  }
  const writes = versionFrom(current, next, from, at);
  if (!(await writeVersions(ctx.warehouse, dataset, spec, writes, [current]))) throw lostRace(input.identifier);
  const view = flowView(spec, writes[0]!.row);
  await auditAfter(ctx, { orgSlug: input.orgSlug, action: 'GENAI_PRICING_OVERRIDE', resourceType: 'GENAI_PRICING', resourceId: String(writes[0]!.row.pricing_id), details: { flow: input.flow, before: flowView(spec, current), after: view } });
  return view;
}

export function lostRace(identifier: string): ConflictError {
  return new ConflictError(`The price of '${identifier}' changed while this change was being made; nothing was written: read it again and resend`, { reason: 'concurrent_change' });
}
