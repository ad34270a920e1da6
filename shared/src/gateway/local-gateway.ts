import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { AppDeps } from '../context/index.js';
import { buildFunctionApp } from '../app/function.js';
import { GatewayHealthResponse, mergedApiDocument, OpenApiResponse } from '../app/standard-routes.js';
import { randomUUID } from 'node:crypto';
import { AppError, BadRequestError } from '../errors.js';

const FETCH_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
import { fetchHeaders, pipeStream } from '../http/bridge.js';
import { errorResponse } from '../http/envelope.js';
import { createHttpApp, type HttpApp } from '../http/router.js';
import { defineRoute, HTML, pathRegex, type RouteDef } from '../http/route.js';
import { docsPage } from '../http/docs-ui.js';

export interface FunctionTableLike {
  name: string;
  routes: readonly RouteDef[];
}

export interface LocalGateway {
  apps: Map<string, HttpApp>;
  fetch(request: Request): Promise<Response>;
  listen(port: number, host?: string): Promise<{ server: Server; url: string }>;
}

/**
 * The local stand-in for API Gateway: every function in one process on shared deps (one DuckDB
 * file can have one writer), routed by the same route tables the API Gateway spec is made from.
 * Per-function probes and docs are under `/{function}/...` (e.g. /locale/health, /locale/docs), as
 * in the generated gateway spec; `/health` here reports the gateway and every function, and
 * `/docs` renders the merged document of every function (`/openapi.json`).
 */
export function createLocalGateway(tables: readonly FunctionTableLike[], deps: AppDeps): LocalGateway {
  const apps = new Map(tables.map((t) => [t.name, buildFunctionApp(t.name, t.routes, deps)]));
  const owners = tables.flatMap((t) => t.routes.map((r) => ({ fn: t.name, method: r.method, regex: pathRegex(r.path) })));

  const gatewayHealth = defineRoute({
    method: 'GET', path: '/health', auth: 'public', tags: ['health'], summary: 'Gateway and function health',
    response: GatewayHealthResponse,
    async handler() {
      const checks = await Promise.all([...apps.entries()].map(async ([name, app]) => {
        const res = await app.fetch(new Request('http://gateway/health'));
        const body = (await res.json()) as { status?: string; warehouse?: { ready?: boolean } };
        return { name, ...body };
      }));
      const ok = checks.every((c) => c.status === 'ok');
      return {
        status: ok ? 'ok' : 'degraded',
        function: 'gateway',
        version: deps.config.version,
        environment: deps.config.environment,
        // Like each function's /health: what the process knows, no warehouse job per probe.
        warehouse: { kind: deps.warehouse.kind, ...(deps.readiness?.known() ? { ready: deps.readiness.known()!.ready } : {}) },
        functions: checks,
      };
    },
  });
  // The merged document of every function, the one the typed client is generated from
  // (scripts/gen-client.ts calls the same mergedApiDocument on the same tables).
  const mergedDocument = defineRoute({
    method: 'GET', path: '/openapi.json', auth: 'public', tags: ['meta'],
    summary: 'OpenAPI 3 document of the whole API (every function), as the typed client is generated from it',
    response: OpenApiResponse,
    async handler() {
      return mergedApiDocument(deps.config.version, tables);
    },
  });
  const reference = defineRoute({
    method: 'GET', path: '/docs', auth: 'public', tags: ['meta'], internal: true,
    summary: 'Interactive reference of every function (Swagger UI from node_modules, on /openapi.json)',
    response: HTML,
    async handler() {
      return new Response(docsPage('CloudAct control-plane API'), { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' } });
    },
  });
  // The gateway's own surface: /health, /openapi.json, /docs, and the error envelope for anything no function owns.
  const own = createHttpApp('gateway', [gatewayHealth, mergedDocument, reference], deps);

  async function fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const prefixed = /^\/([a-z]+)(\/health(?:\/live|\/ready)?|\/openapi\.json|\/docs)$/.exec(url.pathname);
    if (prefixed && apps.has(prefixed[1]!)) {
      const inner = new URL(prefixed[2]! + url.search, url);
      return apps.get(prefixed[1]!)!.fetch(new Request(inner, request));
    }
    const matches = owners.filter((o) => o.regex.test(url.pathname));
    const owner = matches.find((o) => o.method === request.method) ?? (request.method === 'OPTIONS' ? matches[0] : undefined);
    if (owner) return apps.get(owner.fn)!.fetch(request);
    // A known path with another method: the owning function answers 405 with its Allow list.
    if (matches.length) return apps.get(matches[0]!.fn)!.fetch(request);
    return own.fetch(request);
  }

  async function listen(port: number, host = '127.0.0.1') {
    const server = createServer((req, res) => void handleNode(req, res, fetch, deps.config.maxBodyBytes));
    // Requests Node rejects before any handler runs (headers too large, malformed) still get the envelope.
    server.on('clientError', (err: NodeJS.ErrnoException, socket) => answerClientError(err, socket));
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    const address = server.address() as AddressInfo;
    return { server, url: `http://${host}:${address.port}` };
  }

  return { apps, fetch, listen };
}

async function handleNode(req: IncomingMessage, res: ServerResponse, fetch: (r: Request) => Promise<Response>, maxBody: number): Promise<void> {
  try {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      // Keep one byte past the limit (the router then answers 413 in the envelope); drain the rest.
      if (size <= maxBody) chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    const method = req.method ?? 'GET';
    // Fetch cannot even represent TRACE/CONNECT; nothing here serves them.
    if (!FETCH_METHODS.has(method)) {
      const response = errorResponse(new AppError('METHOD_NOT_ALLOWED', `${method} is not allowed`), randomUUID());
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(await response.text());
      return;
    }
    const headers = fetchHeaders(req.headers);
    const body = method === 'GET' || method === 'HEAD' || !chunks.length ? undefined : new Uint8Array(Buffer.concat(chunks));
    const response = await fetch(new Request(new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`), { method, headers, body }));
    // A download (route kind DOWNLOAD) is streamed through as the function streams it.
    if (response.body && /^attachment\b/.test(response.headers.get('content-disposition') ?? '')) {
      res.writeHead(response.status, Object.fromEntries(response.headers));
      pipeStream(response.body, res);
      return;
    }
    const out = Buffer.from(await response.arrayBuffer());
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(out);
  } catch {
    // Only reached when the request itself cannot be formed (e.g. an invalid URL).
    const response = errorResponse(new BadRequestError('Unreadable request'), randomUUID());
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(await response.text());
  }
}


/** Node's own 431/400 answers carry no body; write the same status with the one envelope instead. */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex | Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const body = JSON.stringify({
    error: 'BAD_REQUEST',
    message: tooLarge ? 'Request headers too large' : 'Malformed HTTP request',
    detail: tooLarge ? 'Request headers too large' : 'Malformed HTTP request',
    request_id: randomUUID(),
  });
  socket.end(`HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}
