import { readFileSync } from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { gatewayProbeRoutes } from '@cloudact/shared/app/standard-routes';
import { isDownload } from '@cloudact/shared/http/route';
import { createCloudActClient } from '../clients/typescript/src/index.js';
import { clientDocument, clientFiles } from '../scripts/gen-client.js';
import { functionTables } from '../scripts/function-tables.js';

type Op = { responses: Record<string, { $ref?: string; content?: Record<string, { schema?: unknown }> }> };
type Doc = { paths: Record<string, Record<string, Op>>; components: { responses: Record<string, { headers?: Record<string, unknown> }> } };

describe('typed client', () => {
  it('is up to date with the route tables (run `pnpm gen` when this fails)', async () => {
    for (const [path, text] of Object.entries(await clientFiles())) {
      expect(readFileSync(path, 'utf8'), path).toBe(text);
    }
  });

  it('is generated from one valid OpenAPI 3 document of the whole API', async () => {
    await expect(SwaggerParser.validate(structuredClone(clientDocument()) as never)).resolves.toBeTruthy();
  });

  it('documents every route, and every function\'s probes at /{function}/..., with its success body', () => {
    const doc = clientDocument() as unknown as Doc;
    for (const fn of functionTables) {
      for (const route of [...fn.routes, ...gatewayProbeRoutes(fn.name, fn.routes)]) {
        expect(route.response, `${route.method} ${route.path} declares a response schema`).toBeDefined();
        const op = doc.paths[route.path]?.[route.method.toLowerCase()];
        expect(op, `${route.method} ${route.path}`).toBeDefined();
        const success = op!.responses[String(route.successStatus ?? 200)];
        // A download documents its own content types (a CSV-only export has no JSON body).
        const type = isDownload(route.response) ? route.response.contentTypes[0]! : 'application/json';
        expect(success?.content?.[type]?.schema, `${route.method} ${route.path} success schema`).toBeDefined();
      }
    }
  });

  it('documents the error envelope once and references it from each operation; 429 and 503 carry Retry-After', () => {
    const doc = clientDocument() as unknown as Doc;
    const ops = Object.values(doc.paths).flatMap((p) => Object.values(p));
    const locale = doc.paths['/api/v1/organizations/{org_slug}/locale']!.put!;
    for (const status of ['401', '403', '404', '409', '422', '429', '503']) {
      expect(locale.responses[status]?.$ref, status).toMatch(/^#\/components\/responses\//);
    }
    expect(ops.every((op) => op.responses['503'])).toBe(true);
    expect(doc.components.responses.RateLimited!.headers).toHaveProperty('Retry-After');
    expect(doc.components.responses.ServiceUnavailable!.headers).toHaveProperty('Retry-After');
    // /health/ready's 503 is its own body (not_ready), not the envelope.
    expect(doc.paths['/locale/health/ready']!.get!.responses['503']?.content?.['application/json']).toBeDefined();
  });

  it('sends the org key as X-API-Key and the root key as X-CA-Root-Key', async () => {
    const seen: Request[] = [];
    const fetch = async (request: Request) => {
      seen.push(request);
      return new Response('{"status":"ok","function":"locale"}', { headers: { 'content-type': 'application/json' } });
    };
    const api = createCloudActClient({ baseUrl: 'http://gw.test/', apiKey: 'sk_acme_x', rootKey: 'root-x', fetch });
    const { data } = await api.GET('/locale/health/live');
    expect(data).toEqual({ status: 'ok', function: 'locale' });
    expect(seen[0]!.url).toBe('http://gw.test/locale/health/live');
    expect(seen[0]!.headers.get('x-api-key')).toBe('sk_acme_x');
    expect(seen[0]!.headers.get('x-ca-root-key')).toBe('root-x');
    await createCloudActClient({ baseUrl: 'http://gw.test', fetch }).GET('/locale/health/live');
    expect(seen[1]!.headers.has('x-api-key')).toBe(false);
    expect(seen[1]!.headers.has('x-ca-root-key')).toBe(false);
  });
});
