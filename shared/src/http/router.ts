import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Router } from 'itty-router';
import type { AppDeps } from '../context/index.js';
import { AuthFailureLimiter } from '../auth/failure-limit.js';
import { authorize } from '../auth/policy.js';
import type { Principal } from '../context/index.js';
import type { Ctx } from '../context/index.js';
import { AppError, NotFoundError, RateLimitedError, UnauthorizedError } from '../errors.js';
import { traceFields } from '../logger.js';
import { withWarehouseContext } from '../warehouse/job-context.js';
import { RoundTripMeter, withMeter } from '../warehouse/metering.js';
import { clientAddress } from './client-address.js';
import { allowedOrigin, corsHeaders, preflightHeaders } from './cors.js';
import { errorAnswer, jsonAnswer, REQUEST_ID_HEADER, toResponse } from './envelope.js';
import { splitTarget, type AppAnswer, type AppRequest } from './exchange.js';
import { isDownload, isMutating, pathRegex, Reply, toIttyPath, type RouteDef } from './route.js';
import { checkResponse } from './response-check.js';
import { countRequest } from './limits.js';
import { IDEMPOTENCY_HEADER, runOnce } from './run-once.js';
import { replayForRetiredKey } from './retired-key-replay.js';
import { parsePart, queryObject, readJsonBody } from './validate.js';

export type { AppAnswer, AppRequest } from './exchange.js';

export interface HttpApp {
  name: string;
  routes: readonly RouteDef[];
  /** Fetch in, Fetch out: the local gateway and the tests. */
  fetch(request: Request): Promise<Response>;
  /** The same answer without Fetch objects, synchronously when it can: the deployed path (bridge.ts). */
  handle(request: AppRequest): AppAnswer | Promise<AppAnswer>;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);
const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous' });

interface RequestState {
  requestId: string;
  clientRequestId: string | undefined;
  clientIp: string | undefined;
  /** Split once per request; the route, the 404/405 answer and the log line all use it. */
  path: string;
  search: string;
  started: number;
  meter: RoundTripMeter;
  /** Set once the route's policy let the caller in; the log line names the org key used. */
  principal?: Principal;
  /** Authenticated routes answer with data of an org or the system: never stored by caches. */
  noStore?: boolean;
  /** The caller's budget after this request (RateLimit-* headers on every answer, errors too). */
  rateHeaders?: Record<string, string>;
  /** A cause to log beside a 500 (never sent). */
  failure?: unknown;
  /** A public health probe: its line is DEBUG unless it failed (load balancers call them constantly). */
  probe?: boolean;
}

/**
 * One function's HTTP surface, built from its route table. Gives every request a request id,
 * CORS, the auth policy, zod validation, the error envelope, a warehouse round-trip meter and
 * one structured log line.
 *
 * itty-router compiles the path templates (its matching rules: named groups, trailing slashes);
 * a request is matched here, synchronously, rather than through its async `fetch`, which parses
 * the URL again and awaits every handler it tries: deployed, each promise runs under
 * functions-framework's domain and costs several times what it does elsewhere (exchange.ts).
 * Public routes and refusals answer without a single promise.
 */
export function createHttpApp(name: string, routes: readonly RouteDef[], deps: AppDeps): HttpApp {
  const compiled = Router();
  for (const route of routes) compiled.all(toIttyPath(route.path));
  const table = compiled.routes.map(([, regex], i) => ({ route: routes[i]!, regex }));
  const matchers = routes.map((r) => ({ route: r, regex: pathRegex(r.path) }));
  const policyDeps = { rootKey: deps.rootKey, authDisabled: deps.config.auth.disabled, orgKeys: deps.orgKeys, failures: deps.authFailures ?? new AuthFailureLimiter(deps.config.authFailuresPerMinute) };

  function match(method: string, path: string): { route: RouteDef; params: Record<string, string> } | undefined {
    // HEAD is GET without the body (dropped in finish()).
    const wanted = method === 'HEAD' ? 'GET' : method;
    for (const { route, regex } of table) {
      if (route.method !== wanted) continue;
      const m = regex.exec(path);
      if (m) return { route, params: { ...m.groups } };
    }
    return undefined;
  }

  // runRoute → admitted → prepared → answerRoute stay synchronous until something really awaits
  // (a cold key, a shared limiter, a body stream, the handler): each promise avoided is one the
  // framework's domain hook does not pay for (exchange.ts). Sync throws and rejections both
  // reach handle(), which answers them in the envelope.
  function runRoute(route: RouteDef, rawParams: Record<string, string>, request: AppRequest, state: RequestState): AppAnswer | Promise<AppAnswer> {
    state.noStore = route.auth !== 'public';
    // A public route lets anyone in (policy.ts): answered without the promise authorize() costs.
    let decided: Principal | Promise<Principal>;
    try {
      decided = route.auth === 'public' ? ANONYMOUS : authorize({ auth: route.auth, mutating: isMutating(route) }, request.headers, rawParams, policyDeps, state.clientIp);
    } catch (err) {
      return refused(route, rawParams, request, err);
    }
    if (decided instanceof Promise) return decided.then((p) => admitted(route, rawParams, request, state, p), (err: unknown) => refused(route, rawParams, request, err));
    return admitted(route, rawParams, request, state, decided);
  }

  /** A key its own rotation retired may still fetch that rotation's answer (retired-key-replay.ts); any other refusal stands. */
  async function refused(route: RouteDef, rawParams: Record<string, string>, request: AppRequest, err: unknown): Promise<AppAnswer> {
    const replay = err instanceof UnauthorizedError ? await replayForRetiredKey(route, rawParams, request, deps) : undefined;
    if (replay) return replay;
    throw err;
  }

  function admitted(route: RouteDef, rawParams: Record<string, string>, request: AppRequest, state: RequestState, principal: Principal): AppAnswer | Promise<AppAnswer> {
    state.principal = principal;
    if (route.auth === 'public') return prepared(route, rawParams, request, state, principal);
    const limited = (err: unknown): never => {
      if (err instanceof RateLimitedError) state.rateHeaders = err.limitHeaders;
      throw err;
    };
    let counted: ReturnType<typeof countRequest>;
    try {
      counted = countRequest(name, route, principal, deps);
    } catch (err) {
      return limited(err);
    }
    if (counted instanceof Promise) return counted.then((h) => { state.rateHeaders = h; return prepared(route, rawParams, request, state, principal); }, limited);
    state.rateHeaders = counted;
    return prepared(route, rawParams, request, state, principal);
  }

  function prepared(route: RouteDef, rawParams: Record<string, string>, request: AppRequest, state: RequestState, principal: Principal): AppAnswer | Promise<AppAnswer> {
    const params = parsePart(route.params, rawParams, 'path');
    const query = route.query ? parsePart(route.query, queryObject(state.search), 'query') : undefined;
    if (!route.body) return withInput(route, params, query, undefined, undefined, principal, request, state);
    const bytes = request.body();
    if (bytes instanceof Promise) return bytes.then((b) => withInput(route, params, query, b, route.body!, principal, request, state));
    return withInput(route, params, query, bytes, route.body, principal, request, state);
  }

  function withInput(route: RouteDef, params: unknown, query: unknown, bytes: Uint8Array | undefined, bodySchema: RouteDef['body'], principal: Principal, request: AppRequest, state: RequestState): AppAnswer | Promise<AppAnswer> {
    const body = bodySchema ? parsePart(bodySchema, readJsonBody(bytes!, deps.config.maxBodyBytes), 'body') : undefined;
    const ctx: Ctx = {
      ...deps,
      actor: principal,
      requestId: state.requestId,
      clientRequestId: state.clientRequestId,
      clientIp: state.clientIp,
      userAgent: request.headers.get('user-agent') ?? undefined,
    };
    const idempotencyKey = route.auth !== 'public' && isMutating(route) ? request.headers.get(IDEMPOTENCY_HEADER) : null;
    if (idempotencyKey !== null) return runOnce(route, idempotencyKey, { method: request.method, target: request.target, body: bytes }, ctx, () => answerRoute(route, params, query, body, principal, request, state, ctx));
    return answerRoute(route, params, query, body, principal, request, state, ctx);
  }

  function answerRoute(route: RouteDef, params: unknown, query: unknown, body: unknown, principal: Principal, request: AppRequest, state: RequestState, ctx: Ctx): AppAnswer | Promise<AppAnswer> {
    const result = route.handler({
      params, query, body, principal, requestId: state.requestId, deps, ctx,
      // No handler reads it today; built on demand so no request pays for a Fetch object.
      get request() { return request.fetchRequest(); },
    });
    if (result instanceof Promise) return result.then((r) => answerOfResult(route, r, state));
    return answerOfResult(route, result, state);
  }

  function answerOfResult(route: RouteDef, result: unknown, state: RequestState): AppAnswer | Promise<AppAnswer> {
    checkResponse(route, result, deps, state.requestId);
    if (isFetchResponse(result) && isDownload(route.response)) return streamAnswer(result, (err) => deps.logger.log('ERROR', `${route.method} ${state.path}: the download failed after its headers were sent`, { request_id: state.requestId, error: err }));
    if (isFetchResponse(result)) return answerOf(result);
    if (result instanceof Reply) return jsonAnswer(result.status, withErrorRequestId(result.status, result.body, state.requestId), result.headers);
    return jsonAnswer(route.successStatus ?? 200, result);
  }

  function allowedMethods(path: string): string[] {
    const methods = matchers.filter((m) => m.regex.test(path)).map((m) => m.route.method);
    return methods.includes('GET') ? [...methods, 'HEAD'] : methods;
  }

  function unmatched(method: string, state: RequestState): AppAnswer {
    const methods = allowedMethods(state.path);
    if (methods.length) {
      const answer = errorAnswer(new AppError('METHOD_NOT_ALLOWED', `${method} is not allowed on ${state.path}`, { allowed: methods }), state.requestId);
      answer.headers.allow = methods.join(', ');
      return answer;
    }
    return errorAnswer(new NotFoundError(`No route for ${method} ${state.path}`), state.requestId);
  }

  function route(request: AppRequest, state: RequestState, origin: string | undefined): AppAnswer | Promise<AppAnswer> {
    const method = request.method;
    if (method === 'OPTIONS') {
      const methods = allowedMethods(state.path);
      return { status: 204, headers: origin ? preflightHeaders(origin, methods) : { allow: [...methods, 'OPTIONS'].join(', ') }, body: null };
    }
    // TRACE and friends echo requests back or mean nothing here: never routed.
    if (!KNOWN_METHODS.has(method)) return errorAnswer(new AppError('METHOD_NOT_ALLOWED', `${method} is not allowed`, { allowed: allowedMethods(state.path) }), state.requestId);
    const found = match(method, state.path);
    if (!found) return unmatched(method, state);
    if (found.route.auth === 'public' && found.route.tags?.includes('health')) state.probe = true;
    // Every warehouse job of this request is named after its request id (found from a log line),
    // and gets only what is left of the request's deadline (config.requestDeadlineMs from its
    // arrival): no job runs on after the gateway has given the client its 504. Epoch ms, the
    // clock the BigQuery adapter measures job time with.
    const deadlineAt = Date.now() - (performance.now() - state.started) + deps.config.requestDeadlineMs;
    return withWarehouseContext({ requestId: state.requestId, deadlineAt }, () => withMeter(state.meter, () => runRoute(found.route, found.params, request, state)));
  }

  function handle(request: AppRequest): AppAnswer | Promise<AppAnswer> {
    const started = performance.now();
    const headers = request.headers;
    const presented = headers.get(REQUEST_ID_HEADER);
    // Ours is always made here: a client-chosen id could collide with another request's in the
    // logs, the audit and the warehouse job ids. The client's is kept beside it.
    const requestId = randomUUID();
    const { path, search } = splitTarget(request.target);
    const state: RequestState = {
      requestId,
      clientRequestId: presented && REQUEST_ID.test(presented) ? presented : undefined,
      clientIp: clientAddress(headers.get('x-forwarded-for'), deps.config.trustedProxyHops),
      path, search, started, meter: new RoundTripMeter(),
    };
    const origin = allowedOrigin(headers.get('origin'), deps.config.corsOrigins);
    let answer: AppAnswer | Promise<AppAnswer>;
    try {
      answer = route(request, state, origin);
    } catch (err) {
      answer = failed(err, state);
    }
    if (answer instanceof Promise) return answer.then((a) => finish(request, a, state, origin), (err: unknown) => finish(request, failed(err, state), state, origin));
    return finish(request, answer, state, origin);
  }

  function failed(err: unknown, state: RequestState): AppAnswer {
    if (!(err instanceof AppError)) state.failure = err;
    return errorAnswer(err, state.requestId);
  }

  /** What every answer gets on its way out, then the log line and the key's usage. */
  function finish(request: AppRequest, answer: AppAnswer, state: RequestState, origin: string | undefined): AppAnswer {
    answer.headers[REQUEST_ID_HEADER] = state.requestId;
    if (origin) Object.assign(answer.headers, corsHeaders(origin));
    if (state.noStore) answer.headers['cache-control'] = 'no-store';
    if (state.rateHeaders) Object.assign(answer.headers, state.rateHeaders);
    if (request.method === 'HEAD') {
      if (answer.body instanceof ReadableStream) void answer.body.cancel();
      answer.body = null;
    }
    logRequest(request, answer, state);
    if (state.principal?.kind === 'org') deps.keyUsage?.record({ orgSlug: state.principal.orgSlug, keyId: state.principal.keyId, requestId: state.requestId, at: deps.clock() });
    return answer;
  }

  function logRequest(request: AppRequest, answer: AppAnswer, state: RequestState): void {
    const latency = (performance.now() - state.started) / 1000;
    const status = answer.status;
    const severity = status >= 500 ? 'ERROR' : status >= 400 ? 'WARNING' : state.probe ? 'DEBUG' : 'INFO';
    const fields: Record<string, unknown> = {
      httpRequest: {
        requestMethod: request.method,
        requestUrl: state.path + state.search,
        status,
        latency: `${latency.toFixed(6)}s`,
        userAgent: request.headers.get('user-agent') ?? undefined,
        remoteIp: state.clientIp,
      },
      function: name,
      request_id: state.requestId,
    };
    if (state.clientRequestId) fields.client_request_id = state.clientRequestId;
    // The key-usage sink (deploy.sh) routes lines with these fields into the usage table.
    if (state.principal?.kind === 'org') {
      fields.org_slug = state.principal.orgSlug;
      fields.org_api_key_id = state.principal.keyId;
    }
    fields.warehouse_calls = state.meter.count;
    fields.warehouse_depth = state.meter.depth;
    const trace = request.headers.get('x-cloud-trace-context');
    if (trace) Object.assign(fields, traceFields(trace, deps.config.gcpProjectId));
    if (state.failure) fields.error = state.failure;
    deps.logger.log(severity, `${request.method} ${state.path} ${status}`, fields);
  }

  async function fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const answer = await handle({
      method: request.method,
      target: url.pathname + url.search,
      headers: request.headers,
      body: async () => new Uint8Array(await request.arrayBuffer()),
      fetchRequest: () => request,
    });
    return toResponse(answer);
  }

  return { name, routes, fetch, handle };
}

/**
 * A Fetch Response (an HTML route's own answer), told apart without touching the global
 * `Response`, whose first use loads Node's Fetch implementation (exchange.ts).
 */
function isFetchResponse(value: unknown): value is Response {
  return typeof value === 'object' && value !== null && Object.prototype.toString.call(value) === '[object Response]';
}

async function answerOf(response: Response): Promise<AppAnswer> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => { headers[name] = value; });
  return { status: response.status, headers, body: response.body ? new Uint8Array(await response.arrayBuffer()) : null };
}

/**
 * A download's answer: its headers now, its body as the handler's stream, read only as the
 * client takes it. A failure mid-stream can no longer change the status: it is logged here and
 * ends the stream in error, so the connection is cut and the client sees an incomplete file.
 */
function streamAnswer(response: Response, onError: (err: unknown) => void): AppAnswer {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => { headers[name] = value; });
  const source = response.body;
  if (!source) return { status: response.status, headers, body: null };
  const reader = source.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (err) {
        onError(err);
        controller.error(err);
      }
    },
    cancel(reason) { return reader.cancel(reason); },
  }, { highWaterMark: 0 });
  return { status: response.status, headers, body };
}

/** An error envelope a handler built itself carries the request id like every other one. */
function withErrorRequestId(status: number, body: unknown, requestId: string): unknown {
  if (status < 400 || typeof body !== 'object' || body === null || !('error' in body)) return body;
  return (body as { request_id?: unknown }).request_id ? body : { ...body, request_id: requestId };
}
