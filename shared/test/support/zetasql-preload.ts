// `node --import tsx --import <this file> script.ts`: test/support/processes.ts adds it to the
// processes tests spawn, so the gateway's statements are checked without any code on its own path.
import { DuckDbWarehouse } from '../../src/warehouse/duckdb.js';
import { installZetaSqlCheck } from './zetasql-install.js';

installZetaSqlCheck(DuckDbWarehouse);
