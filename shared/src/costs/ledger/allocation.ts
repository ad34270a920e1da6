import type { ParamType, ParamValue } from '../../warehouse/port.js';

/**
 * One label rule in force over local days `fromDay`..`toDay` (days since 1970-01-01, `toDay`
 * exclusive, null = open): a row the pipelines left untagged whose Tags hold `key` = `value`
 * is allocated to the entity. Rules come in priority order (the version's label-key order),
 * the first match wins (hierarchy/allocation/rules.ts builds them from the stored versions).
 */
export interface AllocationRule {
  key: string;
  value: string;
  entityId: string;
  entityName: string;
  levelCode: string;
  path: string;
  pathNames: string;
  fromDay: number;
  toDay: number | null;
  /** Which of the versions it came from (the dry run's per-version sums). */
  source?: number;
}

/** At most this many rules reach one query (a CASE arm each; the PUT refuses more). */
export const MAX_ALLOCATION_RULES = 200;

/**
 * The ledger as the reduction reads it: `table` with the five hierarchy columns of untagged rows
 * filled by the first rule in force on the row's local day whose label matches (a CASE over the
 * rules as parameters: one pass over the same rows, no join to another table, no extra scan).
 * Rows the pipelines tagged (x_HierarchyEntityId set) keep their tag. `localDay` is the SQL of
 * the row's local day (the reduction's own, so the rule day is the day the row is reported on).
 */
export function allocatedSource(table: string, rules: readonly AllocationRule[] | undefined, localDay: string, params: Record<string, ParamValue>, types: Record<string, ParamType>): string {
  if (!rules?.length) return table;
  const arms = rules.map((r, i) => {
    params[`ar_key_${i}`] = r.key;
    params[`ar_val_${i}`] = r.value;
    params[`ar_from_${i}`] = r.fromDay;
    types[`ar_from_${i}`] = 'INT64';
    const until = r.toDay === null ? '' : ` AND ar_day < @ar_to_${i}`;
    if (r.toDay !== null) {
      params[`ar_to_${i}`] = r.toDay;
      types[`ar_to_${i}`] = 'INT64';
    }
    return `WHEN ar_day >= @ar_from_${i}${until} AND EXISTS (SELECT 1 FROM UNNEST(Tags) AS tg WHERE tg.Key = @ar_key_${i} AND tg.Value = @ar_val_${i}) THEN ${i}`;
  });
  const pick = (col: string, field: keyof Pick<AllocationRule, 'entityId' | 'entityName' | 'levelCode' | 'path' | 'pathNames'>) => {
    const whens = rules.map((r, i) => {
      params[`ar_${field}_${i}`] = r[field];
      return `WHEN ${i} THEN @ar_${field}_${i}`;
    });
    return `CASE ar_rule ${whens.join(' ')} ELSE ${col} END AS ${col}`;
  };
  return `(SELECT * REPLACE (${pick('x_HierarchyEntityId', 'entityId')}, ${pick('x_HierarchyEntityName', 'entityName')}, ${pick('x_HierarchyLevelCode', 'levelCode')}, ${pick('x_HierarchyPath', 'path')}, ${pick('x_HierarchyPathNames', 'pathNames')})
      FROM (SELECT *, CASE WHEN x_HierarchyEntityId IS NOT NULL THEN NULL ${arms.join(' ')} END AS ar_rule
        FROM (SELECT *, ${localDay} AS ar_day FROM ${table}) AS ar_d) AS ar_r)`;
}
