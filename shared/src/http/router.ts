import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Router, type IRequest } from 'itty-router';
import type { AppDeps } from '../app/deps.js';
import { authorize } from '../auth/policy.js';
import { AppError, NotFoundError } from '../errors.js';
import { traceFields } from '../logger.js';
import { RoundTripMeter, withMeter } from '../warehouse/metering.js';
import { allowedOrigin, corsHeaders, preflightHeaders } from './cors.js';
import { errorResponse, json, REQUEST_ID_HEADER } from './envelope.js';
import { pathRegex, Reply, toIttyPath, type RouteDef } from './route.js';
import { parsePart, queryObject, readJsonBody } from './validate.js';

export interface HttpApp {
  name: string;
  routes: readonly RouteDef[];
  fetch(request: Request): Promise<Response>;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

interface RequestState {
  requestId: string;
  /** Parsed once per request; the route, the 404/405 answer and the log line all use it. */
  url: URL;
}

/**
 * One function's HTTP surface, built from its route table. Wraps itty-router with what every
 * request gets: a request id, CORS, the auth policy, zod validation, the error envelope, a
 * warehouse round-trip meter and one structured log line.
 */
export function createHttpApp(name: string, routes: readonly RouteDef[], deps: AppDeps): HttpApp {
  const router = Router<IRequest, [RequestState]>();
  const matchers = routes.map((r) => ({ route: r, regex: pathRegex(r.path) }));
  const policyDeps = { rootKey: deps.rootKey, authDisabled: deps.config.auth.disabled, orgKeys: deps.orgKeys };

  for (const route of routes) {
    router.all(toIttyPath(route.path), async (request: IRequest, state: RequestState) => {
      if (request.method !== route.method) return undefined;
      return runRoute(route, request, state);
    });
  }

  async function runRoute(route: RouteDef, request: IRequest, state: RequestState): Promise<Response> {
    const rawParams: Record<string, string> = { ...(request.params ?? {}) };
    const principal = await authorize(route, request.headers, rawParams, policyDeps);
    const params = parsePart(route.params, rawParams, 'path');
    const query = parsePart(route.query, queryObject(state.url), 'query');
    const body = route.body ? parsePart(route.body, await readJsonBody(request as unknown as Request, deps.config.maxBodyBytes), 'body') : undefined;
    const result = await route.handler({ params, query, body, principal, request: request as unknown as Request, requestId: state.requestId, deps });
    if (result instanceof Response) return result;
    if (result instanceof Reply) return json(result.status, result.body, result.headers);
    return json(route.successStatus ?? 200, result);
  }

  function allowedMethods(path: string): string[] {
    return matchers.filter((m) => m.regex.test(path)).map((m) => m.route.method);
  }

  function unmatched(request: Request, path: string): Response {
    const methods = allowedMethods(path);
    if (methods.length) {
      const err = new AppError('METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${path}`, { allowed: methods });
      return withHeaders(errorResponse(err, ''), { allow: methods.join(', ') });
    }
    return errorResponse(new NotFoundError(`No route for ${request.method} ${path}`), '');
  }

  async function fetch(request: Request): Promise<Response> {
    const started = performance.now();
    const presented = request.headers.get(REQUEST_ID_HEADER);
    const requestId = presented && REQUEST_ID.test(presented) ? presented : randomUUID();
    const meter = new RoundTripMeter();
    const origin = allowedOrigin(request.headers.get('origin'), deps.config.corsOrigins);
    const url = new URL(request.url);
    let response: Response;
    let failure: unknown;
    try {
      if (request.method === 'OPTIONS') {
        const methods = allowedMethods(url.pathname);
        response = new Response(null, { status: 204, headers: origin ? preflightHeaders(origin, methods) : { allow: [...methods, 'OPTIONS'].join(', ') } });
      } else {
        response = ((await withMeter(meter, () => router.fetch(request, { requestId, url }))) as Response | undefined) ?? unmatched(request, url.pathname);
      }
    } catch (err) {
      failure = err;
      response = errorResponse(err, requestId);
    }
    response = await withRequestId(response, requestId);
    if (origin) response = withHeaders(response, corsHeaders(origin));
    logRequest(request, url, response, requestId, started, meter, failure);
    return response;
  }

  function logRequest(request: Request, url: URL, response: Response, requestId: string, started: number, meter: RoundTripMeter, failure: unknown): void {
    const latency = (performance.now() - started) / 1000;
    const severity = response.status >= 500 ? 'ERROR' : response.status >= 400 ? 'WARNING' : 'INFO';
    deps.logger.log(severity, `${request.method} ${url.pathname} ${response.status}`, {
      httpRequest: {
        requestMethod: request.method,
        requestUrl: url.pathname + url.search,
        status: response.status,
        latency: `${latency.toFixed(6)}s`,
        userAgent: request.headers.get('user-agent') ?? undefined,
        remoteIp: request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || undefined,
      },
      function: name,
      request_id: requestId,
      warehouse_calls: meter.count,
      warehouse_depth: meter.depth,
      ...traceFields(request.headers.get('x-cloud-trace-context'), deps.config.gcpProjectId),
      ...(failure && !(failure instanceof AppError) ? { error: failure } : {}),
    });
  }

  return { name, routes, fetch };
}

/** Adds the request id to the response header and, for error envelopes, to the body. */
async function withRequestId(response: Response, requestId: string): Promise<Response> {
  if (response.status >= 400 && response.headers.get('content-type')?.startsWith('application/json')) {
    const body = (await response.clone().json()) as Record<string, unknown>;
    if (body && typeof body === 'object' && 'error' in body && !body.request_id) {
      return withHeaders(json(response.status, { ...body, request_id: requestId }, Object.fromEntries(response.headers)), { [REQUEST_ID_HEADER]: requestId });
    }
  }
  return withHeaders(response, { [REQUEST_ID_HEADER]: requestId });
}

function withHeaders(response: Response, headers: Record<string, string>): Response {
  const merged = new Headers(response.headers);
  for (const [k, v] of Object.entries(headers)) merged.set(k, v);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers: merged });
}
