import { z } from 'zod';
import { NotFoundError } from '../errors.js';
import { defineRoute, Reply, type RouteDef } from '../http/route.js';
import { docsPage, openApiDocument } from '../http/openapi.js';

const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  function: z.string(),
  version: z.string(),
  environment: z.string(),
  warehouse: z.object({ kind: z.string(), reachable: z.boolean(), error: z.string().optional() }),
});

/** Routes every function serves besides its own: health probes and its API description. */
export function standardRoutes(functionName: string, ownRoutes: () => readonly RouteDef[]): RouteDef[] {
  const health = defineRoute({
    method: 'GET', path: '/health', auth: 'public', tags: ['health'],
    summary: 'Function name, version, environment and warehouse reachability',
    response: Health,
    async handler({ deps }) {
      const reachable = await deps.warehouse.ping().then(() => undefined, (err: unknown) => (err instanceof Error ? err.message : String(err)));
      return {
        status: reachable === undefined ? 'ok' : 'degraded',
        function: functionName,
        version: deps.config.version,
        environment: deps.config.environment,
        // The reason stays in the log: a public probe should not describe the infrastructure.
        warehouse: { kind: deps.warehouse.kind, reachable: reachable === undefined },
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
    summary: 'Readiness: the warehouse answers (503 when it does not)',
    async handler({ deps }) {
      try {
        await deps.warehouse.ping();
        return { status: 'ready', function: functionName, warehouse: deps.warehouse.kind };
      } catch (err) {
        deps.logger.log('WARNING', 'readiness: warehouse unreachable', { error: err });
        return new Reply(503, { status: 'not_ready', function: functionName, warehouse: deps.warehouse.kind });
      }
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
