import { normaliseType, type FieldSchema, type TableSpec } from '../../src/warehouse/port.js';
import { columnType } from './zetasql-types.js';

/** What BigQuery would refuse in a table spec the API call itself would carry. */
export function tableSpecProblems(spec: TableSpec): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  const walk = (fields: readonly FieldSchema[], path: string) => {
    for (const f of fields) {
      const name = `${path}${f.name}`;
      if (!/^[A-Za-z_][A-Za-z0-9_]{0,299}$/.test(f.name)) problems.push(`column ${name}: not a BigQuery column name`);
      const key = `${path}${f.name.toLowerCase()}`;
      if (names.has(key)) problems.push(`column ${name}: duplicate (names are case-insensitive)`);
      names.add(key);
      try {
        columnType(f, name);
      } catch (err) {
        problems.push((err as Error).message);
      }
      if (f.fields?.length) walk(f.fields, `${name}.`);
    }
  };
  walk(spec.fields, '');
  const top = new Map(spec.fields.map((f) => [f.name, f]));
  if (spec.partitionField) {
    const f = top.get(spec.partitionField);
    if (!f) problems.push(`partition field ${spec.partitionField}: no such top-level column`);
    else if (f.mode === 'REPEATED' || !['DATE', 'TIMESTAMP', 'DATETIME'].includes(normaliseType(f.type))) {
      problems.push(`partition field ${f.name}: day partitioning needs a DATE, TIMESTAMP or DATETIME column, not ${f.mode === 'REPEATED' ? 'REPEATED ' : ''}${f.type}`);
    }
  }
  const clustering = spec.clustering ?? [];
  if (clustering.length > 4) problems.push(`clustering: at most 4 columns, not ${clustering.length}`);
  for (const c of clustering) {
    const f = top.get(c);
    if (!f) problems.push(`clustering column ${c}: no such top-level column`);
    else if (f.mode === 'REPEATED' || !['STRING', 'INT64', 'NUMERIC', 'BIGNUMERIC', 'BOOL', 'DATE', 'DATETIME', 'TIMESTAMP', 'GEOGRAPHY'].includes(normaliseType(f.type))) {
      problems.push(`clustering column ${c}: BigQuery cannot cluster on ${f.mode === 'REPEATED' ? 'REPEATED ' : ''}${f.type}`);
    }
  }
  return problems;
}
