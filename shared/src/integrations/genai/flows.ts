import { canonicalDecimal } from '../../warehouse/decimal.js';
import type { ParamValue } from '../../warehouse/port.js';

/**
 * The three GenAI price flows (the original's /genai/{org}/pricing/{flow}) and how each maps to
 * its table. Pay-as-you-go lives in `llm_model_pricing`, the table the integrations pricing
 * routes use, so a model has ONE price history whichever route changes it: that table keeps
 * per-1k prices (the integrations routes' unit) and this flow answers per 1M (×1000, exact).
 * Commitment (PTU/GSU) and infrastructure (GPU/TPU hours) have their own tables with the same
 * versioning columns (effective_date, end_date, status, is_override, revision).
 */
export const FLOWS = ['payg', 'commitment', 'infrastructure'] as const;
export type Flow = (typeof FLOWS)[number];

export const GENAI_PROVIDERS = ['openai', 'anthropic', 'gemini', 'deepseek', 'azure_openai', 'aws_bedrock', 'gcp_vertex', 'gcp_gpu', 'aws_gpu', 'azure_gpu'] as const;
export type GenaiProvider = (typeof GENAI_PROVIDERS)[number];

export const STATUSES = ['active', 'deprecated', 'preview', 'deleted'] as const;
export type Status = (typeof STATUSES)[number];

type Kind = 'text' | 'int' | 'money' | 'bool';

/** One API field of a flow: its column and kind (money: exact decimal string; scale: ×10^scale from the column). */
export interface FieldMap { column: string; kind: Kind; scale?: number }

export interface PriceMap { field: string; column: string; base: string; scale: number }

export interface FlowSpec {
  flow: Flow;
  table: string;
  /** The API field and column of the identifier (the URL's {identifier}). */
  id: { field: 'model' | 'instance_type'; column: string };
  providers: readonly GenaiProvider[];
  /** override_value's price, and override_output_value's (none for infrastructure). */
  price: PriceMap;
  output?: PriceMap;
  /** Every other API field of the row. */
  fields: Readonly<Record<string, FieldMap>>;
  /** What a custom price must give. */
  required: readonly string[];
  /** The provider as stored: payg shares llm_model_pricing, whose providers are canonical (OPENAI). */
  stored(p: GenaiProvider): string;
}

const f = (column: string, kind: Kind, scale?: number): FieldMap => (scale === undefined ? { column, kind } : { column, kind, scale });

export const PAYG: FlowSpec = {
  flow: 'payg', table: 'llm_model_pricing', id: { field: 'model', column: 'model_id' },
  providers: ['openai', 'anthropic', 'gemini', 'deepseek', 'azure_openai', 'aws_bedrock', 'gcp_vertex'],
  price: { field: 'input_per_1m', column: 'input_price_per_1k', base: 'base_input_price_per_1k', scale: 3 },
  output: { field: 'output_per_1m', column: 'output_price_per_1k', base: 'base_output_price_per_1k', scale: 3 },
  fields: {
    model_family: f('model_family', 'text'), model_version: f('model_version', 'text'),
    cached_input_per_1m: f('cached_input_per_1m', 'money'), cached_write_per_1m: f('cached_write_per_1m', 'money'),
    batch_input_per_1m: f('batch_input_per_1m', 'money'), batch_output_per_1m: f('batch_output_per_1m', 'money'),
    cached_discount_pct: f('cached_discount_pct', 'money'), batch_discount_pct: f('batch_discount_pct', 'money'),
    context_window: f('context_window', 'int'), max_output_tokens: f('max_output_tokens', 'int'),
    supports_vision: f('supports_vision', 'bool'), supports_streaming: f('supports_streaming', 'bool'), supports_tools: f('supports_tools', 'bool'),
    rate_limit_rpm: f('rate_limit_rpm', 'int'), rate_limit_tpm: f('rate_limit_tpm', 'int'), sla_uptime_pct: f('sla_uptime_pct', 'money'),
  },
  required: ['provider', 'model', 'input_per_1m', 'output_per_1m'],
  stored: (p) => p.toUpperCase(),
};

export const COMMITMENT: FlowSpec = {
  flow: 'commitment', table: 'genai_commitment_pricing', id: { field: 'model', column: 'model' },
  providers: ['azure_openai', 'aws_bedrock', 'gcp_vertex'],
  price: { field: 'ptu_hourly_rate', column: 'ptu_hourly_rate', base: 'base_hourly_rate', scale: 0 },
  output: { field: 'ptu_monthly_rate', column: 'ptu_monthly_rate', base: 'base_monthly_rate', scale: 0 },
  fields: {
    commitment_type: f('commitment_type', 'text'), unit_name: f('unit_name', 'text'),
    min_units: f('min_units', 'int'), max_units: f('max_units', 'int'), commitment_term_months: f('commitment_term_months', 'int'),
    tokens_per_unit_minute: f('tokens_per_unit_minute', 'int'),
  },
  required: ['provider', 'model', 'region', 'commitment_type', 'ptu_hourly_rate'],
  stored: (p) => p,
};

export const INFRASTRUCTURE: FlowSpec = {
  flow: 'infrastructure', table: 'genai_infrastructure_pricing', id: { field: 'instance_type', column: 'instance_type' },
  providers: ['gcp_gpu', 'aws_gpu', 'azure_gpu'],
  price: { field: 'hourly_rate', column: 'hourly_rate', base: 'base_hourly_rate', scale: 0 },
  fields: {
    resource_type: f('resource_type', 'text'), gpu_type: f('gpu_type', 'text'), gpu_count: f('gpu_count', 'int'), gpu_memory_gb: f('gpu_memory_gb', 'int'),
    spot_discount_pct: f('spot_discount_pct', 'money'), reserved_1yr_discount_pct: f('reserved_1yr_discount_pct', 'money'),
    reserved_3yr_discount_pct: f('reserved_3yr_discount_pct', 'money'), cloud_provider: f('cloud_provider', 'text'),
  },
  required: ['provider', 'instance_type', 'region', 'resource_type', 'hourly_rate'],
  stored: (p) => p,
};

export const FLOW_SPECS: Readonly<Record<Flow, FlowSpec>> = { payg: PAYG, commitment: COMMITMENT, infrastructure: INFRASTRUCTURE };

/** The API provider name of a stored one (OPENAI → openai). */
export const shownProvider = (stored: string): string => stored.toLowerCase();

/** Multiplies an exact decimal string by 10^places (places may be negative), exactly. */
export function shiftDecimal(value: string, places: number): string {
  if (places === 0) return canonicalDecimal(value);
  const [int = '0', frac = ''] = value.split('.');
  let i = int;
  let fr = frac;
  if (places > 0) {
    fr = fr.padEnd(places, '0');
    i += fr.slice(0, places);
    fr = fr.slice(places);
  } else {
    const m = -places;
    i = i.padStart(m + 1, '0');
    fr = i.slice(i.length - m) + fr;
    i = i.slice(0, i.length - m);
  }
  return canonicalDecimal(fr ? `${i}.${fr}` : i);
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** A price as answers show it: these fields and the flow's own (FlowSpec.fields, the id, the price fields). */
export interface FlowView {
  [field: string]: unknown;
  pricing_id: string; flow: Flow; provider: string; region: string; currency: string; status: Status;
  is_custom: boolean; is_override: boolean; override_value: number | null; override_output_value: number | null;
  override_effective_from: string | null; list_price: number | null; effective_from: string; effective_to: string | null;
  notes: string | null; last_updated: string;
}

/** A stored row as the web app reads it: the flow's field names, money as JSON numbers, the override spelled out. */
export function flowView(spec: FlowSpec, r: Readonly<Record<string, unknown>>): FlowView {
  const out: Record<string, unknown> = {
    pricing_id: r.pricing_id,
    flow: spec.flow,
    provider: shownProvider(String(r.provider)),
    [spec.id.field]: r[spec.id.column],
    region: (r.region as string | null) ?? 'global',
  };
  const money = (col: string, scale = 0) => (r[col] === null || r[col] === undefined ? null : Number(shiftDecimal(String(r[col]), scale)));
  for (const p of [spec.price, spec.output]) if (p) out[p.field] = money(p.column, p.scale);
  for (const [name, m] of Object.entries(spec.fields)) {
    const v = r[m.column];
    out[name] = v === null || v === undefined ? null : m.kind === 'money' ? money(m.column, m.scale) : m.kind === 'int' ? num(v) : v;
  }
  const isOverride = r.is_override === true;
  out.currency = (r.currency as string | null) ?? 'USD';
  out.status = (r.status as string | null) ?? 'active';
  out.is_custom = r.is_custom === true;
  out.is_override = isOverride;
  out.override_value = isOverride ? money(spec.price.column, spec.price.scale) : null;
  out.override_output_value = isOverride && spec.output ? money(spec.output.column, spec.output.scale) : null;
  out.override_effective_from = isOverride ? r.effective_date : null;
  out.list_price = isOverride ? money(spec.price.base, spec.price.scale) : money(spec.price.column, spec.price.scale);
  out.effective_from = r.effective_date;
  out.effective_to = r.end_date ?? null;
  out.notes = r.notes ?? null;
  out.last_updated = r.updated_at;
  return out as FlowView;
}

/** A row's key (provider × identifier × region) as one string. */
export const keyOf = (spec: FlowSpec, r: Readonly<Record<string, unknown>>): string => `${String(r.provider)}|${String(r[spec.id.column])}|${(r.region as string | null) ?? 'global'}`;

export type StoredRow = Record<string, ParamValue>;
