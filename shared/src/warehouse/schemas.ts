import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { configsDir } from '../config.js';

export { configsDir } from '../config.js';
import type { FieldSchema, TableSpec } from './port.js';
import { readYamlFile } from '../yaml-file.js';

/**
 * Table specs come from `configs/`: one BigQuery JSON schema per table, and a config.yml with
 * each table's partitioning and clustering. Read once per cold start and validated, so a typo in
 * a schema file fails loudly at start-up rather than as a half-created dataset.
 */
const FieldSchemaZ: z.ZodType<FieldSchema> = z.lazy(() =>
  z.object({
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
    type: z.enum(['STRING', 'BYTES', 'INTEGER', 'INT64', 'FLOAT', 'FLOAT64', 'NUMERIC', 'BIGNUMERIC', 'BOOLEAN', 'BOOL', 'TIMESTAMP', 'DATE', 'TIME', 'DATETIME', 'JSON', 'RECORD', 'STRUCT']),
    mode: z.enum(['NULLABLE', 'REQUIRED', 'REPEATED']).optional(),
    description: z.string().optional(),
    fields: z.array(FieldSchemaZ).optional(),
  }),
);

const ConfigZ = z.object({
  dataset: z.string().optional(),
  dataset_suffix: z.string().optional(),
  tables: z.record(z.string(), z.object({
    partition_field: z.string().nullable(),
    clustering: z.array(z.string()).max(4),
  })),
});

export interface TableSet {
  dataset?: string;
  datasetSuffix?: string;
  tables: TableSpec[];
}

export function loadTableSet(folder: string): TableSet {
  const config = ConfigZ.parse(readYamlFile(join(folder, 'config.yml')));
  const tables = Object.entries(config.tables).map(([name, t]): TableSpec => {
    const fields = z.array(FieldSchemaZ).parse(JSON.parse(readFileSync(join(folder, 'schemas', `${name}.json`), 'utf8')));
    const names = new Set(fields.map((f) => f.name));
    for (const col of [t.partition_field, ...t.clustering]) {
      if (col && !names.has(col)) throw new Error(`${folder}: ${name} partitions or clusters on unknown column ${col}`);
    }
    return { name, fields, ...(t.partition_field ? { partitionField: t.partition_field } : {}), clustering: t.clustering };
  });
  return { dataset: config.dataset, datasetSuffix: config.dataset_suffix, tables };
}

let central: TableSet | undefined;
/** The central `organizations` dataset's 15 meta tables. */
export function centralTables(): TableSet {
  return (central ??= loadTableSet(join(configsDir(), 'setup/bootstrap')));
}

let org: TableSet | undefined;
/** The tables of every org's `{org_slug}_prod` dataset. */
export function orgTables(): TableSet {
  return (org ??= loadTableSet(join(configsDir(), 'setup/organizations/onboarding')));
}

let keyUsage: TableSet | undefined;
/** The key-usage event table the logging sink fills (see configs/setup/key_usage/config.yml). */
export function keyUsageTables(): TableSet {
  return (keyUsage ??= loadTableSet(join(configsDir(), 'setup/key_usage')));
}

/**
 * The columns of `spec` a table (with `columns`) lacks, ready for addColumns: NULLABLE, since
 * existing rows have no value for them. Bootstrap's sync and the org-dataset sync both use it.
 */
export function missingColumns(spec: TableSpec, columns: readonly string[]): FieldSchema[] {
  const have = new Set(columns.map((c) => c.toLowerCase()));
  return spec.fields.filter((f) => !have.has(f.name.toLowerCase())).map((f) => (f.mode === 'REQUIRED' ? { ...f, mode: 'NULLABLE' as const } : f));
}
