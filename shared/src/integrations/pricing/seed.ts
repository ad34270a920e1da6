import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configsDir } from '../../config.js';
import type { Ctx } from '../../context/index.js';
import type { ParamType, ParamValue } from '../../warehouse/port.js';
import type { ProviderDef } from '../registry.js';

/** Default prices per provider, from configs/llm/seed/llm_default_pricing.csv (read once). */
let seedRows: Record<string, string>[] | undefined;

export function defaultPricingRows(seedName: string): Record<string, string>[] {
  seedRows ??= parseCsv(readFileSync(join(configsDir(), 'llm/seed/llm_default_pricing.csv'), 'utf8'));
  return seedRows.filter((r) => r.provider === seedName);
}

/** The seed file is plain CSV without quoted commas; a bad line fails the tests, not a request. */
export function parseCsv(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trim().split(/\r?\n/);
  const cols = header!.split(',');
  return lines.filter(Boolean).map((line) => {
    const cells = line.split(',');
    if (cells.length !== cols.length) throw new Error(`llm_default_pricing.csv: ${cells.length} cells where ${cols.length} columns: ${line}`);
    return Object.fromEntries(cols.map((c, i) => [c, cells[i]!]));
  });
}

const SEEDED = ['pricing_id', 'provider', 'model_id', 'model_name', 'is_custom', 'input_price_per_1k', 'output_price_per_1k', 'effective_date', 'is_enabled', 'created_at', 'updated_at'] as const;

/**
 * Seeds the org's default prices for a provider unless it has any pricing rows for it already:
 * one INSERT … SELECT … WHERE NOT EXISTS, so a repeated setup seeds nothing twice. Returns how
 * many rows were added. (Two first setups at the same instant could both seed: BigQuery does not
 * serialise inserts; the listing keeps the newest row per model and date.)
 */
export async function seedDefaultPricing(ctx: Pick<Ctx, 'warehouse'>, a: { datasetId: string; provider: ProviderDef; now: Date }): Promise<number> {
  if (!a.provider.pricing_seed) return 0;
  const rows = defaultPricingRows(a.provider.pricing_seed);
  if (!rows.length) return 0;
  const wh = ctx.warehouse;
  const table = wh.table(a.datasetId, 'llm_model_pricing');
  const params: Record<string, ParamValue> = { provider: a.provider.canonical, now: a.now };
  const types: Record<string, ParamType> = {};
  const selects = rows.map((r, i) => {
    params[`id${i}`] = `${r.pricing_id}_${a.provider.canonical.toLowerCase()}`;
    params[`m${i}`] = r.model_id!;
    params[`n${i}`] = r.model_name || r.model_id!;
    params[`in${i}`] = r.input_price_per_1k!;
    params[`out${i}`] = r.output_price_per_1k!;
    params[`d${i}`] = r.effective_date!;
    types[`in${i}`] = 'NUMERIC';
    types[`out${i}`] = 'NUMERIC';
    types[`d${i}`] = 'DATE';
    return `SELECT @id${i} AS pricing_id, @provider AS provider, @m${i} AS model_id, @n${i} AS model_name, FALSE AS is_custom, @in${i} AS input_price_per_1k, @out${i} AS output_price_per_1k, @d${i} AS effective_date, TRUE AS is_enabled, @now AS created_at, @now AS updated_at`;
  });
  const { affectedRows } = await wh.execute({
    sql: `INSERT INTO ${table} (${SEEDED.join(', ')})
          SELECT * FROM (${selects.join(' UNION ALL ')})
          WHERE NOT EXISTS (SELECT 1 FROM ${table} WHERE provider = @provider)`,
    params,
    types,
  });
  return affectedRows;
}
