import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { FieldSchema } from '../../src/warehouse/port.js';
import { configsDir, loadTableSet, type TableSet } from '../../src/warehouse/schemas.js';

/**
 * The BigQuery catalog the ZetaSQL check analyzes against: the tables the schema files in
 * `configs/` describe, found the way the app finds them (schemas.ts).
 */

/** Every table set under `configs/setup` (a folder with a config.yml), keyed by where it lives. */
export function configTableSets(root = join(configsDir(), 'setup')): Map<string, TableSet> {
  const sets = new Map<string, TableSet>();
  const walk = (dir: string) => {
    const entries = readdirSync(dir);
    if (entries.includes('config.yml')) sets.set(relative(root, dir) || '.', loadTableSet(dir));
    for (const e of entries) if (e !== 'schemas' && statSync(join(dir, e)).isDirectory()) walk(join(dir, e));
  };
  walk(root);
  return sets;
}

/**
 * Which schema a dataset has. A set with `dataset` names its dataset exactly (`organizations`);
 * any other dataset is an org's (`{org_slug}_prod`, or whatever name an onboarding records),
 * because org datasets are the only ones the app creates under names it does not know in advance.
 */
export class ConfigCatalog {
  private readonly named = new Map<string, Map<string, FieldSchema[]>>();
  private readonly perOrg = new Map<string, FieldSchema[]>();

  constructor(sets: Iterable<TableSet> = configTableSets().values()) {
    for (const set of sets) {
      const tables = new Map(set.tables.map((t) => [t.name, t.fields]));
      if (set.dataset) this.named.set(set.dataset, tables);
      else for (const [name, fields] of tables) this.perOrg.set(name, fields);
    }
  }

  fields(dataset: string, table: string): FieldSchema[] | undefined {
    return (this.named.get(dataset) ?? this.perOrg).get(table);
  }
}
