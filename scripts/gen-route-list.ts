// `pnpm gen:routes`: rewrites the route list in README.md from the route tables.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { routeListMarkdown, withRouteList } from '@cloudact/shared/http/route-list';
import { functionTables } from './function-tables.js';

const readmePath = join(dirname(fileURLToPath(import.meta.url)), '..', 'README.md');
writeFileSync(readmePath, withRouteList(readFileSync(readmePath, 'utf8'), routeListMarkdown(functionTables)));
console.log(`updated route list in ${readmePath}`);
