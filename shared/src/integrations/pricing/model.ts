import { randomUUID } from 'node:crypto';
import { ConflictError, ValidationError } from '../../errors.js';
import { addDays, dayBefore } from '../../i18n/dates.js';
import { amount } from '../money.js';
import type { PricingRow } from './store.js';

export const PRICING_TYPES = ['standard', 'free_tier', 'volume_discount', 'committed_use', 'promotional', 'negotiated'] as const;
export const RESET_FREQUENCIES = ['daily', 'monthly', 'never'] as const;
export type PricingType = (typeof PRICING_TYPES)[number];

/** What a caller may set on a model's price (money as exact decimal strings; see money.ts). */
export interface PricingFields {
  model_name?: string | null;
  input_price_per_1k?: string;
  output_price_per_1k?: string;
  currency?: string;
  effective_date?: string;
  end_date?: string | null;
  is_enabled?: boolean;
  is_custom?: boolean;
  notes?: string | null;
  pricing_type?: PricingType;
  free_tier_input_tokens?: number | null;
  free_tier_output_tokens?: number | null;
  free_tier_reset_frequency?: (typeof RESET_FREQUENCIES)[number] | null;
  discount_percentage?: string | null;
  discount_reason?: string | null;
  volume_threshold_tokens?: number | null;
  base_input_price_per_1k?: string | null;
  base_output_price_per_1k?: string | null;
}

/** Fields that change what a day's tokens cost: changing them adds a version (never rewrites a priced day). */
const PRICE_FIELDS = [
  'input_price_per_1k', 'output_price_per_1k', 'currency', 'pricing_type', 'free_tier_input_tokens', 'free_tier_output_tokens',
  'free_tier_reset_frequency', 'discount_percentage', 'volume_threshold_tokens', 'base_input_price_per_1k', 'base_output_price_per_1k',
] as const satisfies readonly (keyof PricingFields)[];

/** A model's price as responses show it: the web app's field names, money as JSON numbers. */
export function pricingView(r: PricingRow) {
  return {
    pricing_id: r.pricing_id,
    provider: r.provider,
    model_id: r.model_id,
    model_name: r.model_name,
    is_custom: r.is_custom,
    input_price_per_1k: amount(r.input_price_per_1k),
    output_price_per_1k: amount(r.output_price_per_1k),
    currency: r.currency ?? 'USD',
    effective_date: r.effective_date,
    end_date: r.end_date,
    is_enabled: r.is_enabled,
    notes: r.notes,
    pricing_type: (r.pricing_type ?? 'standard') as PricingType,
    free_tier_input_tokens: r.free_tier_input_tokens,
    free_tier_output_tokens: r.free_tier_output_tokens,
    free_tier_reset_frequency: r.free_tier_reset_frequency as (typeof RESET_FREQUENCIES)[number] | null,
    discount_percentage: amount(r.discount_percentage),
    discount_reason: r.discount_reason,
    volume_threshold_tokens: r.volume_threshold_tokens,
    base_input_price_per_1k: amount(r.base_input_price_per_1k),
    base_output_price_per_1k: amount(r.base_output_price_per_1k),
    x_gemini_context_window: r.x_gemini_context_window,
    x_gemini_region: r.x_gemini_region,
    x_anthropic_tier: r.x_anthropic_tier,
    x_openai_batch_input_price: amount(r.x_openai_batch_input_price),
    x_openai_batch_output_price: amount(r.x_openai_batch_output_price),
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}
export type PricingView = ReturnType<typeof pricingView>;

/** A new model's first version from what the caller gave. */
export function newPricingRow(provider: string, input: PricingFields & { model_id: string; input_price_per_1k: string; output_price_per_1k: string }, today: string, now: Date): PricingRow {
  const at = now.toISOString();
  return {
    pricing_id: randomUUID(), provider, model_id: input.model_id, model_name: input.model_name ?? input.model_id, is_custom: input.is_custom ?? true,
    input_price_per_1k: input.input_price_per_1k, output_price_per_1k: input.output_price_per_1k, currency: input.currency ?? 'USD',
    effective_date: input.effective_date ?? today, end_date: input.end_date ?? null, is_enabled: input.is_enabled ?? true, notes: input.notes ?? null,
    pricing_type: input.pricing_type ?? 'standard', free_tier_input_tokens: input.free_tier_input_tokens ?? null, free_tier_output_tokens: input.free_tier_output_tokens ?? null,
    free_tier_reset_frequency: input.free_tier_reset_frequency ?? null, discount_percentage: input.discount_percentage ?? null, discount_reason: input.discount_reason ?? null,
    volume_threshold_tokens: input.volume_threshold_tokens ?? null, base_input_price_per_1k: input.base_input_price_per_1k ?? null, base_output_price_per_1k: input.base_output_price_per_1k ?? null,
    x_gemini_context_window: null, x_gemini_region: null, x_anthropic_tier: null, x_openai_batch_input_price: null, x_openai_batch_output_price: null,
    created_at: at, updated_at: at, revision: 0,
  };
}

/** Refuses a version that would end before it starts. */
export function checkDates(row: Pick<PricingRow, 'effective_date' | 'end_date'>, field = 'end_date'): string | undefined {
  return row.end_date !== null && row.end_date < row.effective_date ? `${field}: ${row.end_date} is before effective_date ${row.effective_date}` : undefined;
}

/** Past days a change re-prices (a backdate): from `from` to `to`, both already reported. */
export interface Repriced { from: string; to: string }

export type ChangePlan = ({ kind: 'in_place'; row: PricingRow } | { kind: 'new_version'; row: PricingRow; ended: PricingRow }) & { repriced?: Repriced };

/** A change refused: its problem, and the request field it names when it is one field's. */
export interface Refusal { field?: 'effective_date' | 'end_date'; message: string }

const earlier = (a: string, b: string): string => (a < b ? a : b);
const later = (a: string, b: string): string => (a > b ? a : b);
const NEEDS_FLAG = 'send "backdate": true to re-price them (the change is audited with before and after)';

/**
 * How a change applies to a model's newest version (`current`):
 * - `effective_date` later than the current version's: a new version from that day; the current
 *   one ends the day before.
 * - a price field changed and no `effective_date`: a new version from today, unless the current
 *   version starts today or later (it has priced no past day yet: corrected in place).
 * - otherwise (names, notes, is_enabled, end_date): the current version, in place.
 * An `effective_date` before the current version's is refused (that would rewrite more than one
 * version). A change that would re-price days already reported (before the org's today) is a
 * backdate: an `effective_date` before today, a price corrected on a version that priced past
 * days, an `end_date` before today that takes a price from past days. It is refused (naming the
 * field) unless `backdate` is set; then it is planned with the days it re-prices (`repriced`),
 * which the caller audits. Returns the refusal or the plan.
 */
export function planChange(current: PricingRow, change: PricingFields, today: string, now: Date, backdate = false): ChangePlan | Refusal {
  const priceChanged = PRICE_FIELDS.some((f) => change[f] !== undefined && change[f] !== current[f]);
  const startedBefore = current.effective_date < today;
  const yesterday = dayBefore(today);
  const target = change.effective_date ?? (priceChanged && startedBefore ? today : current.effective_date);
  if (target < current.effective_date) {
    return { message: `effective_date ${target} is before the current version's (${current.effective_date}); past prices are not rewritten` };
  }
  const { effective_date: _ignored, ...rest } = change;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<PricingRow>;
  const at = now.toISOString();
  const spans: Repriced[] = [];
  if (target === current.effective_date && priceChanged && startedBefore) {
    const to = earlier(current.end_date ?? yesterday, yesterday);
    if (!backdate) {
      return { message: `the version from ${current.effective_date} has priced past days (${current.effective_date} to ${to}); give a later effective_date (e.g. ${today}) for the new price, or ${NEEDS_FLAG.replace('them', 'those days')}` };
    }
    spans.push({ from: current.effective_date, to });
  }
  if (target > current.effective_date && target < today) {
    if (!backdate) return { field: 'effective_date', message: `effective_date ${target} is before today (${today}): the days from ${target} to ${yesterday} are already reported at the version from ${current.effective_date}; ${NEEDS_FLAG}` };
    spans.push({ from: target, to: yesterday });
  }
  const end = change.end_date;
  if (end !== undefined && end !== null && end < today && (current.end_date === null || end < current.end_date)) {
    const from = later(addDays(end, 1), target);
    const to = earlier(current.end_date ?? yesterday, yesterday);
    if (from <= to) {
      if (!backdate) return { field: 'end_date', message: `end_date ${end} is before today (${today}): the days from ${from} to ${to} are already reported at this price; ${NEEDS_FLAG}` };
      spans.push({ from, to });
    }
  }
  const repriced = spans.length ? { from: spans.map((x) => x.from).reduce(earlier), to: spans.map((x) => x.to).reduce(later) } : undefined;
  const extra = repriced ? { repriced } : {};
  if (target === current.effective_date) {
    const row: PricingRow = { ...current, ...defined, updated_at: at };
    const bad = checkDates(row);
    return bad ? { message: bad } : { kind: 'in_place', row, ...extra };
  }
  const row: PricingRow = { ...current, ...defined, pricing_id: randomUUID(), effective_date: target, end_date: change.end_date !== undefined ? change.end_date : current.end_date, created_at: at, updated_at: at, revision: 0 };
  const ended: PricingRow = { ...current, end_date: dayBefore(target), updated_at: at };
  const bad = checkDates(row);
  return bad ? { message: bad } : { kind: 'new_version', row, ended, ...extra };
}

/** Whether planChange refused. */
export const isRefusal = (p: ChangePlan | Refusal): p is Refusal => !('kind' in p);

/** 422 naming each failing item of a change (bulk update: index and model_id) or the one field (single change), with its problem, in `detail` too. */
export function changeRefused(problems: Record<string, string[]>): ValidationError {
  const names = Object.keys(problems);
  return new ValidationError(`Nothing was changed: ${names.length} item(s) refused (${names.map((n) => `${n}: ${problems[n]!.join('; ')}`).join(' | ')})`, problems);
}

/** 409 of a read-modify-write that another change overtook (nothing was written). */
export function lostRace(provider: string, modelIds: readonly string[]): ConflictError {
  return new ConflictError(`The ${provider} price of ${modelIds.map((m) => `'${m}'`).join(', ')} changed while this change was being made (another change or a delete won); nothing was written: read it again and resend`, { reason: 'concurrent_change', model_ids: [...modelIds] });
}
