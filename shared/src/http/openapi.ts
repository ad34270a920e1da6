import { objectProperties, toOpenApiSchema, type JsonSchema } from './json-schema.js';
import { pathParams, type RouteDef } from './route.js';

const ErrorEnvelopeSchema: JsonSchema = {
  type: 'object',
  required: ['error', 'message', 'request_id'],
  properties: {
    error: { type: 'string', example: 'VALIDATION_ERROR' },
    message: { type: 'string' },
    details: { type: 'object', additionalProperties: true },
    request_id: { type: 'string' },
  },
};

const securityFor = { public: [], root: [{ rootKey: [] }], org: [{ orgKey: [] }] } as const;

/** OpenAPI 3.0 document of one function's routes, served at /openapi.json. */
export function openApiDocument(functionName: string, version: string, routes: readonly RouteDef[]): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    if (route.internal) continue;
    const declared = objectProperties(route.params);
    const parameters = [
      ...pathParams(route.path).map((name) => {
        const p = declared.find((d) => d.name === name);
        return { name, in: 'path', required: true, schema: p?.schema ?? { type: 'string' } };
      }),
      ...objectProperties(route.query).map((q) => ({ name: q.name, in: 'query', required: q.required, schema: q.schema })),
    ];
    const errors = Object.fromEntries(
      [...(route.body || route.params || route.query ? ['422'] : []), ...(route.auth === 'public' ? [] : ['401', '403']), '500']
        .map((s) => [s, { description: 'Error envelope', content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } } }]),
    );
    (paths[route.path] ??= {})[route.method.toLowerCase()] = {
      operationId: operationId(functionName, route),
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: route.tags ?? [functionName],
      'x-auth-policy': route.auth,
      security: securityFor[route.auth],
      ...(parameters.length ? { parameters } : {}),
      ...(route.body ? { requestBody: { required: false, content: { 'application/json': { schema: toOpenApiSchema(route.body) } } } } : {}),
      responses: {
        [String(route.successStatus ?? 200)]: {
          description: 'Success',
          ...(route.response ? { content: { 'application/json': { schema: toOpenApiSchema(route.response) } } } : {}),
        },
        ...errors,
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: `CloudAct ${functionName} API`, version },
    paths,
    components: {
      securitySchemes: {
        rootKey: { type: 'apiKey', in: 'header', name: 'X-CA-Root-Key' },
        orgKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
      schemas: { ErrorEnvelope: ErrorEnvelopeSchema },
    },
  };
}

/** Stable, unique per function: `bootstrap_post_api_v1_admin_bootstrap`. */
export function operationId(functionName: string, route: RouteDef): string {
  const slug = route.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '');
  return `${functionName}_${route.method.toLowerCase()}_${slug || 'root'}`;
}

/** A self-contained page (no CDN: development machines may be offline). */
export function docsPage(functionName: string, doc: JsonSchema): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  const rows: string[] = [];
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, Record<string, unknown>>>)) {
    for (const [method, op] of Object.entries(ops)) {
      rows.push(`<section><h2><code>${method.toUpperCase()} ${esc(path)}</code> <small>${esc(String(op['x-auth-policy']))}</small></h2>
<p>${esc(String(op.summary ?? ''))}</p><details><summary>schema</summary><pre>${esc(JSON.stringify({ parameters: op.parameters, requestBody: op.requestBody, responses: op.responses }, null, 2))}</pre></details></section>`);
    }
  }
  return `<!doctype html><html><head><meta charset="utf-8"><title>CloudAct ${esc(functionName)} API</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}h2{font-size:1rem}small{color:#666}pre{background:#f5f5f5;padding:1rem;overflow:auto}</style></head>
<body><h1>CloudAct ${esc(functionName)} API</h1><p><a href="openapi.json">openapi.json</a></p>${rows.join('\n')}</body></html>`;
}
