import { z } from 'zod';
import { NotFoundError } from '../errors.js';
import { defineRoute, HTML, Reply, type RouteDef } from '../http/route.js';
import { docsPage } from '../http/docs-ui.js';
import { apiDocument, openApiDocument, type OpenApiDocument } from '../http/openapi.js';

export const HealthResponse = z.strictObject({
  status: z.literal('ok'),
  function: z.string(),
  version: z.string(),
  environment: z.enum(['development', 'staging', 'production']),
  warehouse: z.strictObject({
    kind: z.enum(['duckdb', 'bigquery']),
    ready: z.boolean().optional().describe('The last readiness check, if one ran; /health itself runs none'),
  }),
});

export const LiveResponse = z.strictObject({ status: z.literal('ok'), function: z.string() });

/** Ready (200) or not (503, with Retry-After): the same route, told apart by `status`. */
export const ReadyResponse = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('ready'), function: z.string(), warehouse: z.enum(['duckdb', 'bigquery']), checked_at: z.iso.datetime() }),
  z.strictObject({
    status: z.literal('not_ready'),
    function: z.string(),
    warehouse: z.enum(['duckdb', 'bigquery']),
    reason: z.string().optional().describe('Why not, e.g. the central tables are missing (run bootstrap)'),
    checked_at: z.iso.datetime(),
  }),
]);

/** An OpenAPI 3.0 document, described only as deep as a client needs to tell it is one. */
export const OpenApiResponse = z.object({
  openapi: z.string(),
  info: z.object({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z.record(z.string(), z.unknown()),
});

/**
 * The local gateway's own /health (shared/src/gateway/local-gateway.ts): the gateway and each
 * function's /health body with its name. Local only: API Gateway has no such route.
 */
export const GatewayHealthResponse = z.strictObject({
  status: z.string().describe('ok, or degraded when a function is not ok'),
  function: z.string().describe('gateway'),
  version: z.string(),
  environment: z.enum(['development', 'staging', 'production']),
  warehouse: z.strictObject({ kind: z.enum(['duckdb', 'bigquery']), ready: z.boolean().optional().describe('The last readiness check, if one ran (/health runs none)') }),
  functions: z.array(z.looseObject({
    name: z.string(),
    status: z.string().optional(),
    warehouse: z.looseObject({ ready: z.boolean().optional() }).optional(),
  })),
});

/**
 * Routes every function serves besides its own: health probes and its API description. `/health`
 * and `/health/live` answer from the process alone (a public probe must not cost a warehouse
 * job); `/health/ready` runs the cached readiness check. The function's OpenAPI document
 * includes these (not /docs, a page for people).
 */
export function standardRoutes(functionName: string, ownRoutes: () => readonly RouteDef[]): RouteDef[] {
  const health = defineRoute({
    method: 'GET', path: '/health', auth: 'public', tags: ['health'],
    summary: 'Function name, version and environment; answered by the process, no warehouse call',
    response: HealthResponse,
    async handler({ deps }) {
      const known = deps.readiness?.known();
      return {
        status: 'ok' as const,
        function: functionName,
        version: deps.config.version,
        environment: deps.config.environment,
        warehouse: { kind: deps.warehouse.kind, ...(known ? { ready: known.ready } : {}) },
      };
    },
  });
  const live = defineRoute({
    method: 'GET', path: '/health/live', auth: 'public', tags: ['health'],
    summary: 'Liveness: the process answers',
    response: LiveResponse,
    async handler() {
      return { status: 'ok' as const, function: functionName };
    },
  });
  const ready = defineRoute({
    method: 'GET', path: '/health/ready', auth: 'public', tags: ['health'],
    summary: 'Readiness: the central tables exist (503 naming bootstrap when they do not); checked at most every 10 s',
    response: ReadyResponse,
    alsoReplies: [503],
    async handler({ deps }) {
      const r = await deps.readiness!.check();
      if (r.ready) return { status: 'ready' as const, function: functionName, warehouse: deps.warehouse.kind, checked_at: r.checked_at };
      deps.logger.log('WARNING', `readiness: ${r.reason}`, { missing_tables: r.missing_tables });
      return new Reply(503, { status: 'not_ready' as const, function: functionName, warehouse: deps.warehouse.kind, reason: r.reason, checked_at: r.checked_at }, { 'retry-after': '10' });
    },
  });
  const openapi: RouteDef = defineRoute({
    method: 'GET', path: '/openapi.json', auth: 'public', tags: ['meta'],
    summary: 'OpenAPI 3 description of this function',
    response: OpenApiResponse,
    async handler({ deps }) {
      return openApiDocument(functionName, deps.config.version, [...ownRoutes(), ...probes]);
    },
  });
  const docs = defineRoute({
    method: 'GET', path: '/docs', auth: 'public', tags: ['meta'], internal: true,
    summary: 'Interactive API reference of this function, Swagger UI on its /openapi.json (development only)',
    response: HTML,
    async handler({ deps }) {
      if (deps.config.environment !== 'development') throw new NotFoundError('Docs are served in development only');
      return new Response(docsPage(`CloudAct ${functionName} API`), {
        headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' },
      });
    },
  });
  const probes: RouteDef[] = [health, live, ready, openapi];
  return [...probes, docs];
}

/**
 * A function's standard routes at the paths API Gateway gives them (`/{function}/health`, see
 * gateway-spec.ts), for the one document of the whole API (openapi.ts `apiDocument`).
 */
export function gatewayProbeRoutes(functionName: string, ownRoutes: readonly RouteDef[]): RouteDef[] {
  return standardRoutes(functionName, () => ownRoutes)
    .filter((r) => !r.internal)
    .map((r) => ({ ...r, path: `/${functionName}${r.path}` }));
}

/**
 * The one document of the whole API as a client sees it through API Gateway: every function's
 * routes and its probes at `/{function}/...`. The typed client is generated from it
 * (scripts/gen-client.ts) and the local gateway serves it at /openapi.json (and renders it at /docs).
 */
export function mergedApiDocument(version: string, functions: readonly { name: string; routes: readonly RouteDef[] }[]): OpenApiDocument {
  return apiDocument(version, functions.map((fn) => ({ name: fn.name, routes: [...fn.routes, ...gatewayProbeRoutes(fn.name, fn.routes)] })));
}
