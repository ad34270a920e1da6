import type { DuckDbWarehouse } from '../../src/warehouse/duckdb.js';
import { checkMode, URL_ENV } from './zetasql-mode.js';

const INSTALLED = Symbol.for('cloudact.zetasql-installed');

/**
 * Every DuckDB warehouse opened from here on is a checked one: tests open it directly, through
 * `testDeps`, or through production code (createDeps → openWarehouse), and all of them are
 * covered without each construction point remembering to wrap. The checker (and the BigQuery
 * client library it asks for parameter types) loads on the first open, so a test file that
 * never opens a warehouse pays nothing. Used by the vitest setup file and, through
 * zetasql-preload.ts, by the gateway and CLI processes that tests spawn.
 */
export function installZetaSqlCheck(cls: typeof DuckDbWarehouse): void {
  const mode = checkMode();
  if (mode === 'off' || Reflect.get(cls, INSTALLED)) return;
  const url = process.env[URL_ENV];
  if (!url) {
    throw new Error(`ZetaSQL check: ${URL_ENV} is unset, so no analyzer is running. Run tests through vitest.config.ts (its globalSetup starts one), or set ZETASQL_CHECK=off to run unchecked.`);
  }
  const open = cls.open.bind(cls);
  let checker: Promise<{ wrap: (wh: DuckDbWarehouse) => DuckDbWarehouse }> | undefined;
  const load = async () => {
    const [{ ZetaSqlChecker }, { checkedWarehouse }] = await Promise.all([import('./zetasql-check.js'), import('./zetasql-warehouse.js')]);
    const c = new ZetaSqlChecker({ url, mode });
    return { wrap: (wh: DuckDbWarehouse) => checkedWarehouse(wh, c) };
  };
  cls.open = async (...args: Parameters<typeof cls.open>) => {
    const [wh, { wrap }] = await Promise.all([open(...args), (checker ??= load())]);
    return wrap(wh);
  };
  Reflect.set(cls, INSTALLED, true);
}
