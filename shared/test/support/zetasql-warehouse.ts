import type { FieldSchema, Warehouse } from '../../src/warehouse/port.js';
import type { ZetaSqlChecker } from './zetasql-check.js';

const CHECKED = Symbol.for('cloudact.zetasql-checked');

export function isChecked(wh: Warehouse): boolean {
  return Reflect.get(wh, CHECKED) === true;
}

/**
 * The warehouse with every query()/execute() analyzed first. A Proxy, so the adapter's own
 * extras (and `instanceof`) still work; only the statement-sending and table-shaping calls change.
 */
export function checkedWarehouse<W extends Warehouse>(inner: W, checker: ZetaSqlChecker): W {
  if (isChecked(inner)) return inner;
  const created = new Map<string, FieldSchema[]>();
  const key = (d: string, t: string) => `${d}.${t}`;
  const overrides: Partial<Warehouse> = {
    query: async (q) => {
      await checker.checkStatement(q, created);
      return inner.query(q);
    },
    execute: async (q) => {
      await checker.checkStatement(q, created);
      return inner.execute(q);
    },
    queryColumnar: async (q) => {
      await checker.checkStatement(q, created);
      return inner.queryColumnar(q);
    },
    createTable: async (dataset, spec) => {
      checker.checkTableSpec(dataset, spec);
      const made = await inner.createTable(dataset, spec);
      if (made) created.set(key(dataset, spec.name), [...spec.fields]);
      return made;
    },
    addColumns: async (dataset, table, fields) => {
      await checker.checkAddColumns(dataset, table, fields, created.get(key(dataset, table)));
      await inner.addColumns(dataset, table, fields);
      const now = created.get(key(dataset, table));
      if (now) created.set(key(dataset, table), [...now, ...fields.filter((f) => !now.some((c) => c.name === f.name))]);
    },
    dropTable: async (dataset, table) => {
      await inner.dropTable(dataset, table);
      created.delete(key(dataset, table));
    },
    dropDataset: async (dataset) => {
      await inner.dropDataset(dataset);
      for (const k of [...created.keys()]) if (k.startsWith(`${dataset}.`)) created.delete(k);
    },
  };
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === CHECKED) return true;
      if (typeof prop === 'string' && prop in overrides) return overrides[prop as keyof Warehouse];
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
