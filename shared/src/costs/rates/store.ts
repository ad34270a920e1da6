import type { ParamType, ParamValue, Warehouse } from '../../warehouse/port.js';
import { centralTables } from '../../warehouse/schemas.js';
import type { Fixing } from './reference.js';

/** The central table of operator-loaded rates (configs/setup/bootstrap/schemas/exchange_rates.json). */
const TABLE = 'exchange_rates';

function ref(wh: Warehouse): string {
  const dataset = centralTables().dataset ?? 'organizations';
  return wh.table(dataset, TABLE);
}

export async function operatorFixings(wh: Warehouse): Promise<Fixing[]> {
  const rows = await wh.query({ sql: `SELECT CAST(rate_date AS STRING) AS rate_date, currency, CAST(units_per_eur AS STRING) AS units_per_eur, is_approximation FROM ${ref(wh)}` });
  return rows.map((r) => ({
    date: String(r.rate_date),
    currency: String(r.currency),
    unitsPerEur: Number(r.units_per_eur),
    source: 'OPERATOR' as const,
    approximation: r.is_approximation === true,
  }));
}

export interface RateRow { date: string; currency: string; units_per_eur: string; is_approximation: boolean }

/**
 * One MERGE for the whole batch: a (day, currency) already there gets the new rate, others are
 * inserted. Returns the rows changed (inserted + updated).
 */
export async function upsertFixings(wh: Warehouse, rows: readonly RateRow[], now: Date, by: string): Promise<number> {
  const params: Record<string, ParamValue> = { now, by };
  const types: Record<string, ParamType> = { now: 'TIMESTAMP', by: 'STRING' };
  const selects = rows.map((r, i) => {
    Object.assign(params, { [`d${i}`]: r.date, [`c${i}`]: r.currency, [`u${i}`]: r.units_per_eur, [`a${i}`]: r.is_approximation });
    Object.assign(types, { [`d${i}`]: 'DATE', [`u${i}`]: 'NUMERIC' });
    return `SELECT @d${i} AS rate_date, @c${i} AS currency, @u${i} AS units_per_eur, @a${i} AS is_approximation`;
  });
  const { affectedRows } = await wh.execute({
    sql: `MERGE INTO ${ref(wh)} AS t
          USING (${selects.join(' UNION ALL ')}) AS s
          ON t.rate_date = s.rate_date AND t.currency = s.currency
          WHEN MATCHED THEN UPDATE SET units_per_eur = s.units_per_eur, is_approximation = s.is_approximation, source = 'OPERATOR', updated_at = @now, updated_by = @by
          WHEN NOT MATCHED THEN INSERT (rate_date, currency, units_per_eur, source, is_approximation, updated_at, updated_by)
            VALUES (s.rate_date, s.currency, s.units_per_eur, 'OPERATOR', s.is_approximation, @now, @by)`,
    params,
    types,
  });
  return affectedRows;
}
