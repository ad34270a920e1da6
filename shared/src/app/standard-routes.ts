import { z } from 'zod';
import { NotFoundError } from '../errors.js';
import { defineRoute, Reply, type RouteDef } from '../http/route.js';
import { docsPage, openApiDocument } from '../http/openapi.js';

const Health = z.object({
  status: z.enum(['ok']),
  function: z.string(),
  version: z.string(),
  environment: z.string(),
  warehouse: z.object({ kind: z.string(), ready: z.boolean().optional().describe('The last readiness check, if one ran; /health itself runs none') }),
});

/**
 * Routes every function serves besides its own: health probes and its API description. `/health`
 * and `/health/live` answer from the process alone (a public probe must not cost a warehouse
 * job); `/health/ready` runs the cached readiness check.
 */
export function standardRoutes(functionName: string, ownRoutes: () => readonly RouteDef[]): RouteDef[] {
  const health = defineRoute({
    method: 'GET', path: '/health', auth: 'public', tags: ['health'],
    summary: 'Function name, version and environment; answered by the process, no warehouse call',
    response: Health,
    async handler({ deps }) {
      const known = deps.readiness?.known();
      return {
        status: 'ok',
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
    async handler() {
      return { status: 'ok', function: functionName };
    },
  });
  const ready = defineRoute({
    method: 'GET', path: '/health/ready', auth: 'public', tags: ['health'],
    summary: 'Readiness: the central tables exist (503 naming bootstrap when they do not); checked at most every 10 s',
    async handler({ deps }) {
      const r = await deps.readiness!.check();
      if (r.ready) return { status: 'ready', function: functionName, warehouse: deps.warehouse.kind, checked_at: r.checked_at };
      deps.logger.log('WARNING', `readiness: ${r.reason}`, { missing_tables: r.missing_tables });
      return new Reply(503, { status: 'not_ready', function: functionName, warehouse: deps.warehouse.kind, reason: r.reason, checked_at: r.checked_at }, { 'retry-after': '10' });
    },
  });
  const openapi = defineRoute({
    method: 'GET', path: '/openapi.json', auth: 'public', tags: ['meta'],
    summary: 'OpenAPI 3 description of this function',
    async handler({ deps }) {
      return openApiDocument(functionName, deps.config.version, ownRoutes());
    },
  });
  const docs = defineRoute({
    method: 'GET', path: '/docs', auth: 'public', tags: ['meta'], internal: true,
    summary: 'Human-readable API reference (development only)',
    async handler({ deps }) {
      if (deps.config.environment !== 'development') throw new NotFoundError('Docs are served in development only');
      return new Response(docsPage(functionName, openApiDocument(functionName, deps.config.version, ownRoutes())), {
        headers: { 'content-type': 'text/html; charset=utf-8' },
      });
    },
  });
  return [health, live, ready, openapi, docs];
}
