import { randomUUID } from 'node:crypto';
import { ValidationError } from '../../errors.js';
import { DECIMAL_LIMITS } from '../../warehouse/decimal.js';
import { shiftDecimal, type FlowSpec, type GenaiProvider, type StoredRow } from './flows.js';

/** A flow's row as a caller or the defaults file gives it: API field names, money as exact decimal strings. */
export type FlowInput = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** An API money value (per 1M for payg) as its column holds it; 422 naming the field when the column cannot hold it exactly. */
export function toColumn(value: string, scale: number, field: string): string {
  const out = shiftDecimal(value, -scale);
  const frac = out.split('.')[1] ?? '';
  if (frac.length > DECIMAL_LIMITS.NUMERIC.scale) {
    throw new ValidationError(`${field}: at most ${DECIMAL_LIMITS.NUMERIC.scale - scale} digits after the point`, { [`body.${field}`]: [`at most ${DECIMAL_LIMITS.NUMERIC.scale - scale} digits after the point`] });
  }
  return out;
}

/** A new first version of a key from what was given (custom price or default). */
export function newFlowRow(spec: FlowSpec, input: FlowInput, a: { today: string; now: Date; custom: boolean }): StoredRow {
  const at = a.now.toISOString();
  const provider = input.provider as GenaiProvider;
  const id = String(input[spec.id.field]);
  const row: StoredRow = {
    pricing_id: randomUUID(), provider: spec.stored(provider), [spec.id.column]: id, region: (input.region as string | undefined) ?? 'global',
    currency: (input.currency as string | undefined) ?? 'USD', effective_date: (input.effective_from as string | undefined) ?? a.today,
    end_date: (input.effective_to as string | null | undefined) ?? null, status: (input.status as string | undefined) ?? 'active',
    is_custom: a.custom, is_override: false, notes: (input.notes as string | null | undefined) ?? null, created_at: at, updated_at: at, revision: 0,
  };
  for (const p of [spec.price, spec.output]) {
    if (p && input[p.field] !== undefined && input[p.field] !== null) row[p.column] = toColumn(String(input[p.field]), p.scale, p.field);
  }
  for (const [name, m] of Object.entries(spec.fields)) {
    const v = input[name];
    if (v !== undefined) row[m.column] = v === null ? null : m.kind === 'money' ? toColumn(String(v), m.scale ?? 0, name) : v;
  }
  if (spec.flow === 'payg') {
    // llm_model_pricing's own REQUIRED columns (the integrations routes' view of the same row).
    Object.assign(row, { model_name: id, is_enabled: true, pricing_type: 'standard' });
  }
  return row;
}

/** Whether a version is still in force today or later and not deleted. */
export const isCurrent = (r: StoredRow, today: string): boolean => (r.end_date === null || String(r.end_date) >= today) && r.status !== 'deleted';
