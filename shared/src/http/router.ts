import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Router, type IRequest } from 'itty-router';
import type { AppDeps } from '../context/index.js';
import { AuthFailureLimiter } from '../auth/failure-limit.js';
import { authorize } from '../auth/policy.js';
import type { Principal } from '../context/index.js';
import type { Ctx } from '../context/index.js';
import { AppError, NotFoundError } from '../errors.js';
import { traceFields } from '../logger.js';
import { withWarehouseContext } from '../warehouse/job-context.js';
import { RoundTripMeter, withMeter } from '../warehouse/metering.js';
import { clientAddress } from './client-address.js';
import { allowedOrigin, corsHeaders, preflightHeaders } from './cors.js';
import { errorResponse, json, REQUEST_ID_HEADER } from './envelope.js';
import { isMutating, pathRegex, Reply, toIttyPath, type RouteDef } from './route.js';
import { parsePart, queryObject, readJsonBody } from './validate.js';

export interface HttpApp {
  name: string;
  routes: readonly RouteDef[];
  fetch(request: Request): Promise<Response>;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);

interface RequestState {
  requestId: string;
  clientRequestId: string | undefined;
  clientIp: string | undefined;
  /** Parsed once per request; the route, the 404/405 answer and the log line all use it. */
  url: URL;
  /** Set once the route's policy let the caller in; the log line names the org key used. */
  principal?: Principal;
  /** Authenticated routes answer with data of an org or the system: never stored by caches. */
  noStore?: boolean;
}

/**
 * One function's HTTP surface, built from its route table. Wraps itty-router with what every
 * request gets: a request id, CORS, the auth policy, zod validation, the error envelope, a
 * warehouse round-trip meter and one structured log line.
 */
export function createHttpApp(name: string, routes: readonly RouteDef[], deps: AppDeps): HttpApp {
  const router = Router<IRequest, [RequestState]>();
  const matchers = routes.map((r) => ({ route: r, regex: pathRegex(r.path) }));
  const policyDeps = { rootKey: deps.rootKey, authDisabled: deps.config.auth.disabled, orgKeys: deps.orgKeys, failures: deps.authFailures ?? new AuthFailureLimiter(deps.config.authFailuresPerMinute) };

  for (const route of routes) {
    router.all(toIttyPath(route.path), async (request: IRequest, state: RequestState) => {
      // HEAD is GET without the body (the bridge and the gateway drop it).
      const method = request.method === 'HEAD' ? 'GET' : request.method;
      if (method !== route.method) return undefined;
      return runRoute(route, request, state);
    });
  }

  async function runRoute(route: RouteDef, request: IRequest, state: RequestState): Promise<Response> {
    const rawParams: Record<string, string> = { ...(request.params ?? {}) };
    state.noStore = route.auth !== 'public';
    const principal = await authorize({ auth: route.auth, mutating: isMutating(route) }, request.headers, rawParams, policyDeps, state.clientIp);
    state.principal = principal;
    const params = parsePart(route.params, rawParams, 'path');
    const query = parsePart(route.query, queryObject(state.url), 'query');
    const body = route.body ? parsePart(route.body, await readJsonBody(request as unknown as Request, deps.config.maxBodyBytes), 'body') : undefined;
    const ctx: Ctx = {
      ...deps,
      actor: principal,
      requestId: state.requestId,
      clientRequestId: state.clientRequestId,
      clientIp: state.clientIp,
      userAgent: request.headers.get('user-agent') ?? undefined,
    };
    const result = await route.handler({ params, query, body, principal, request: request as unknown as Request, requestId: state.requestId, deps, ctx });
    if (result instanceof Response) return result;
    if (result instanceof Reply) return json(result.status, result.body, result.headers);
    return json(route.successStatus ?? 200, result);
  }

  function allowedMethods(path: string): string[] {
    const methods = matchers.filter((m) => m.regex.test(path)).map((m) => m.route.method);
    return methods.includes('GET') ? [...methods, 'HEAD'] : methods;
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
    // Ours is always made here: a client-chosen id could collide with another request's in the
    // logs, the audit and the warehouse job ids. The client's is kept beside it.
    const requestId = randomUUID();
    const clientRequestId = presented && REQUEST_ID.test(presented) ? presented : undefined;
    const meter = new RoundTripMeter();
    const origin = allowedOrigin(request.headers.get('origin'), deps.config.corsOrigins);
    const url = new URL(request.url);
    const state: RequestState = { requestId, clientRequestId, clientIp: clientAddress(request.headers.get('x-forwarded-for'), deps.config.trustedProxyHops), url };
    let response: Response;
    let failure: unknown;
    try {
      if (request.method === 'OPTIONS') {
        const methods = allowedMethods(url.pathname);
        response = new Response(null, { status: 204, headers: origin ? preflightHeaders(origin, methods) : { allow: [...methods, 'OPTIONS'].join(', ') } });
      } else if (!KNOWN_METHODS.has(request.method)) {
        // TRACE and friends echo requests back or mean nothing here: never routed.
        response = errorResponse(new AppError('METHOD_NOT_ALLOWED', `${request.method} is not allowed`, { allowed: allowedMethods(url.pathname) }), '');
      } else {
        // Every warehouse job of this request is named after its request id (found from a log line).
        response = ((await withWarehouseContext({ requestId }, () => withMeter(meter, () => router.fetch(request, state)))) as Response | undefined) ?? unmatched(request, url.pathname);
      }
    } catch (err) {
      failure = err;
      response = errorResponse(err, requestId);
    }
    response = await withRequestId(response, requestId);
    if (origin) response = withHeaders(response, corsHeaders(origin));
    if (state.noStore) response = withHeaders(response, { 'cache-control': 'no-store' });
    if (request.method === 'HEAD') response = new Response(null, { status: response.status, headers: response.headers });
    logRequest(request, url, response, state, started, meter, failure);
    if (state.principal?.kind === 'org') deps.keyUsage?.record({ orgSlug: state.principal.orgSlug, keyId: state.principal.keyId, requestId, at: deps.clock() });
    return response;
  }

  function logRequest(request: Request, url: URL, response: Response, state: RequestState, started: number, meter: RoundTripMeter, failure: unknown): void {
    const latency = (performance.now() - started) / 1000;
    const severity = response.status >= 500 ? 'ERROR' : response.status >= 400 ? 'WARNING' : 'INFO';
    deps.logger.log(severity, `${request.method} ${url.pathname} ${response.status}`, {
      httpRequest: {
        requestMethod: request.method,
        requestUrl: url.pathname + url.search,
        status: response.status,
        latency: `${latency.toFixed(6)}s`,
        userAgent: request.headers.get('user-agent') ?? undefined,
        remoteIp: state.clientIp,
      },
      function: name,
      request_id: state.requestId,
      ...(state.clientRequestId ? { client_request_id: state.clientRequestId } : {}),
      // The key-usage sink (deploy.sh) routes lines with these fields into the usage table.
      ...(state.principal?.kind === 'org' ? { org_slug: state.principal.orgSlug, org_api_key_id: state.principal.keyId } : {}),
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
  // Responses built here have mutable headers: set them in place rather than copy the response
  // (a copy re-wraps the body stream, several times per request on the hot path). A handler's
  // immutable Response (e.g. from fetch) throws on set and is copied instead.
  try {
    for (const [k, v] of Object.entries(headers)) response.headers.set(k, v);
    return response;
  } catch {
    const merged = new Headers(response.headers);
    for (const [k, v] of Object.entries(headers)) merged.set(k, v);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers: merged });
  }
}
