import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { gatewaySpecYaml, urlVariable } from '@cloudact/shared/http/gateway-spec';
import { openApiDocument } from '@cloudact/shared/http/openapi';
import { routeListMarkdown, ROUTES_END, ROUTES_START } from '@cloudact/shared/http/route-list';
import { functionTables } from '../scripts/function-tables.js';

const root = join(import.meta.dirname, '..');
const committed = readFileSync(join(root, 'infra/api-gateway/openapi.yaml'), 'utf8');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

type Op = { operationId: string; 'x-google-backend': { address: string; jwt_audience: string; path_translation: string } };

describe('API Gateway spec', () => {
  it('is up to date with the route tables (run `pnpm gen` when this fails)', () => {
    expect(committed).toBe(gatewaySpecYaml(functionTables, version));
  });

  it('is a valid OpenAPI 2.0 document', async () => {
    await expect(SwaggerParser.validate(parse(committed) as never)).resolves.toBeTruthy();
  });

  it('lists every route of every function with its owning backend', () => {
    const spec = parse(committed) as { paths: Record<string, Record<string, Op>> };
    for (const fn of functionTables) {
      for (const route of fn.routes.filter((r) => !r.devOnly)) {
        const op = spec.paths[route.path]?.[route.method.toLowerCase()];
        expect(op, `${route.method} ${route.path}`).toBeDefined();
        expect(op!['x-google-backend']).toMatchObject({ address: urlVariable(fn.name), jwt_audience: urlVariable(fn.name), path_translation: 'APPEND_PATH_TO_ADDRESS' });
      }
      expect(spec.paths[`/${fn.name}/health`]?.get?.['x-google-backend']).toMatchObject({ address: `${urlVariable(fn.name)}/health`, path_translation: 'CONSTANT_ADDRESS' });
    }
    const ids = Object.values(spec.paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('leaves development-only routes (the key reveal) out of the production gateway', () => {
    const spec = parse(committed) as { paths: Record<string, Record<string, Op>> };
    const devOnly = functionTables.flatMap((fn) => fn.routes.filter((r) => r.devOnly));
    expect(devOnly.map((r) => r.path)).toContain('/api/v1/admin/dev/api-key/{org_slug}');
    for (const route of devOnly) expect(spec.paths[route.path], route.path).toBeUndefined();
    expect(committed).not.toMatch(/\/admin\/dev\//);
  });

    it('has no security definitions: API Gateway only checks Google API keys, the functions check ours', () => {
    expect(committed).not.toMatch(/securityDefinitions/);
  });
});

describe('per-function OpenAPI 3 documents', () => {
  it.each(functionTables.map((t) => [t.name, t] as const))('%s is valid', async (_name, fn) => {
    const doc = openApiDocument(fn.name, version, fn.routes);
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  });
});

describe('README route list', () => {
  it('is up to date with the route tables (run `pnpm gen` when this fails)', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const block = readme.slice(readme.indexOf(ROUTES_START) + ROUTES_START.length, readme.indexOf(ROUTES_END)).trim();
    expect(block).toBe(routeListMarkdown(functionTables));
  });
});
