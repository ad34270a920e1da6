import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { functionTables } from '../scripts/function-tables.js';
import { owner, routeFile } from '../scripts/route-file.js';

/**
 * The URL names the file: a newcomer finds a route's code from its method and path alone
 * (rule in scripts/route-file.ts), and each path belongs to exactly one function.
 */
const root = join(import.meta.dirname, '..');

function filesUnder(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    out = statSync(full).isDirectory() ? [...out, ...filesUnder(full)] : [...out, full];
  }
  return out;
}

describe('URL to file', () => {
  for (const table of functionTables) {
    it(`${table.name}: every route is exported by the file its method and path name`, async () => {
      for (const route of table.routes) {
        const file = routeFile(table.name, route.method, route.path);
        const mod = (await import(pathToFileURL(join(root, file)).href)) as Record<string, unknown>;
        expect(Object.values(mod), `${route.method} ${route.path} should be exported by ${file}`).toContain(route);
      }
    });

    it(`${table.name}: every file under src/routes is a route's file`, () => {
      const dir = join(root, 'functions', table.name, 'src', 'routes');
      let files: string[] = [];
      try { files = filesUnder(dir).map((f) => relative(root, f)); } catch { files = []; }
      const expected = new Set(table.routes.map((r) => routeFile(table.name, r.method, r.path)));
      for (const f of files) expect(expected.has(f), `${f} matches no route of ${table.name} (schemas go in src/schemas.ts)`).toBe(true);
    });
  }

  it('refuses a file that breaks the rule', () => {
    expect(routeFile('onboard', 'POST', '/api/v1/organizations/{org_slug}/api-key/rotate')).toBe('functions/onboard/src/routes/organizations/{org_slug}/api-key/rotate.post.ts');
    expect(() => routeFile('onboard', 'GET', '/v2/elsewhere')).toThrow(/under \/api\/v1\//);
  });
});

describe('URL prefixes: each path belongs to one function', () => {
  it('no prefix is listed by two functions', () => {
    const all = functionTables.flatMap((t) => t.prefixes);
    expect(new Set(all).size).toBe(all.length);
  });

  for (const table of functionTables) {
    it(`${table.name}: the longest matching prefix of each of its routes is its own`, () => {
      for (const route of table.routes) expect(owner(route.path, functionTables), `${route.method} ${route.path}`).toBe(table.name);
    });
  }
});
