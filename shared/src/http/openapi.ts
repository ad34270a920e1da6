import { z } from 'zod';
import { ErrorCode } from '../errors.js';
import { objectProperties, toOpenApiSchema, type JsonSchema } from './json-schema.js';
import { isDownload, isHtml, isMutating, pathParams, type RouteDef } from './route.js';

/** The one error envelope (envelope.ts builds it), as the documents describe it. */
export const ErrorEnvelope = z.strictObject({
  error: ErrorCode,
  message: z.string(),
  detail: z.string().describe('The same text as message (the web app\'s client was written for FastAPI, which says detail)'),
  details: z.record(z.string(), z.unknown()).optional().describe('e.g. fields (422: path → problems), reason (409), allowed (405)'),
  request_id: z.string().describe('The server\'s request id, also in the X-Request-ID header'),
});

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, JsonSchema>>;
  components: Record<string, Record<string, JsonSchema>>;
}

/** A function and the routes it serves, at the paths a client calls. */
export interface DocumentedFunction {
  name: string;
  routes: readonly RouteDef[];
}

const securityFor = { public: [], root: [{ rootKey: [] }], org: [{ orgKey: [] }] } as const;

/**
 * Error statuses, each described once under components.responses and referenced by every
 * operation it can happen on. 429 and 503 carry Retry-After.
 */
const ERROR_RESPONSES: Record<number, { name: string; description: string; retryAfter?: true }> = {
  400: { name: 'BadRequest', description: 'The body is not readable JSON, or a value the schema allows is refused (e.g. a confirmation that does not match)' },
  401: { name: 'Unauthorized', description: 'No key, or a key that is unknown, expired, revoked or rotated away' },
  403: { name: 'Forbidden', description: 'A key of another org, a read-only key on a mutating route, or a suspended org' },
  404: { name: 'NotFound', description: 'The org or key does not exist (or no longer)' },
  409: { name: 'Conflict', description: 'A concurrent or conflicting change; details.reason says which' },
  413: { name: 'PayloadTooLarge', description: 'The body is larger than MAX_BODY_BYTES' },
  422: { name: 'ValidationError', description: 'Input does not match the schema; details.fields maps each path to its problems' },
  429: { name: 'RateLimited', description: 'Too many failed authentications from this client address', retryAfter: true },
  500: { name: 'InternalError', description: 'Unexpected failure; the message says nothing of its cause (the log does, under the request id)' },
  503: { name: 'ServiceUnavailable', description: 'The warehouse is busy or unavailable, or the central tables do not exist yet', retryAfter: true },
};

/** Which error statuses a route can answer, from what it declares. */
export function errorStatuses(route: RouteDef): number[] {
  const authed = route.auth !== 'public';
  return [
    ...(route.body ? [400, 413] : []),
    ...(authed ? [401, 403, 404] : []),
    ...(authed && isMutating(route) ? [409] : []),
    ...(route.body || route.params || route.query ? [422] : []),
    ...(authed ? [429] : []),
    500,
    503,
  ].filter((s) => !route.alsoReplies?.includes(s));
}

/** OpenAPI 3.0 document of one function's routes, served at /openapi.json. */
export function openApiDocument(functionName: string, version: string, routes: readonly RouteDef[]): OpenApiDocument {
  return documentOf(`CloudAct ${functionName} API`, version, [{ name: functionName, routes }]);
}

/**
 * One document for the whole API as a client sees it through API Gateway: every function's
 * routes (paths are unique across functions) and their probes at `/{function}/health` etc.
 * The typed client is generated from it (scripts/gen-client.ts).
 */
export function apiDocument(version: string, functions: readonly DocumentedFunction[]): OpenApiDocument {
  return documentOf('CloudAct control-plane API', version, functions);
}

function documentOf(title: string, version: string, functions: readonly DocumentedFunction[]): OpenApiDocument {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const fn of functions) {
    for (const route of fn.routes) {
      if (route.internal) continue;
      const ops = (paths[route.path] ??= {});
      const method = route.method.toLowerCase();
      if (ops[method]) throw new Error(`${route.method} ${route.path} is declared twice (${String(ops[method]['x-cloudact-function'])} and ${fn.name})`);
      ops[method] = operation(fn.name, route);
    }
  }
  return {
    openapi: '3.0.3',
    info: { title, version },
    paths,
    components: {
      securitySchemes: {
        rootKey: { type: 'apiKey', in: 'header', name: 'X-CA-Root-Key' },
        orgKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
      schemas: { ErrorEnvelope: toOpenApiSchema(ErrorEnvelope) },
      parameters: {
        IdempotencyKey: { name: 'Idempotency-Key', in: 'header', required: false, description: IDEMPOTENCY_KEY_DESCRIPTION, schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' } },
      },
      headers: {
        RequestId: { description: 'The server\'s id of this request (logs, audit rows, warehouse job ids)', schema: { type: 'string' } },
        RateLimitLimit: { description: 'Requests allowed per minute for this caller and route class (IETF draft RateLimit header fields)', schema: { type: 'integer' } },
        RateLimitRemaining: { description: 'Requests left in the current window', schema: { type: 'integer' } },
        RateLimitReset: { description: 'Seconds until the window resets', schema: { type: 'integer' } },
        IdempotentReplayed: { description: '"true" when this is the stored answer of an earlier request with the same Idempotency-Key', schema: { type: 'string', enum: ['true'] } },
        RetryAfter: { description: 'Seconds to wait before trying again (always on 429; on 503 whenever the server can tell)', schema: { type: 'integer', minimum: 1 } },
      },
      responses: Object.fromEntries(Object.values(ERROR_RESPONSES).map((e) => [e.name, {
        description: e.description,
        headers: {
          'X-Request-ID': { $ref: '#/components/headers/RequestId' },
          ...(e.retryAfter ? { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } } : {}),
        },
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } },
      }])),
    },
  };
}

function operation(functionName: string, route: RouteDef): JsonSchema {
  const declared = objectProperties(route.params);
  const parameters = [
    ...pathParams(route.path).map((name) => {
      const p = declared.find((d) => d.name === name);
      return { name, in: 'path', required: true, schema: p?.schema ?? { type: 'string' } };
    }),
    ...objectProperties(route.query).map((q) => ({ name: q.name, in: 'query', required: q.required, schema: q.schema })),
    ...(route.auth !== 'public' && isMutating(route) ? [{ $ref: '#/components/parameters/IdempotencyKey' }] : []),
  ];
  const success = (status: number) => ({
    description: status < 400 ? 'Success' : 'Answered with the success schema (see summary)',
    headers: {
      'X-Request-ID': { $ref: '#/components/headers/RequestId' },
      ...(status === 429 || status === 503 ? { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } } : {}),
      ...(route.auth !== 'public' ? {
        'RateLimit-Limit': { $ref: '#/components/headers/RateLimitLimit' },
        'RateLimit-Remaining': { $ref: '#/components/headers/RateLimitRemaining' },
        'RateLimit-Reset': { $ref: '#/components/headers/RateLimitReset' },
      } : {}),
      ...(route.auth !== 'public' && isMutating(route) ? { 'Idempotent-Replayed': { $ref: '#/components/headers/IdempotentReplayed' } } : {}),
    },
    content: isHtml(route.response)
      ? { 'text/html': { schema: { type: 'string' } } }
      : isDownload(route.response)
        ? Object.fromEntries(route.response.contentTypes.map((t) => [t, { schema: { type: 'string', format: 'binary' } }]))
        : { 'application/json': { schema: toOpenApiSchema(route.response) } },
  });
  return {
    operationId: operationId(functionName, route),
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: route.tags ?? [functionName],
    'x-cloudact-function': functionName,
    'x-auth-policy': route.auth,
    ...(route.devOnly ? { 'x-development-only': true } : {}),
    security: securityFor[route.auth],
    ...(parameters.length ? { parameters } : {}),
    ...(route.body ? { requestBody: { required: false, content: { 'application/json': { schema: toOpenApiSchema(route.body) } } } } : {}),
    responses: {
      [String(route.successStatus ?? 200)]: success(route.successStatus ?? 200),
      ...Object.fromEntries((route.alsoReplies ?? []).map((s) => [String(s), success(s)])),
      ...Object.fromEntries(errorStatuses(route).map((s) => [String(s), { $ref: `#/components/responses/${ERROR_RESPONSES[s]!.name}` }])),
    },
  };
}

export const IDEMPOTENCY_KEY_DESCRIPTION = 'Any 1-255 printable characters. A repeat of the same request by the same caller within 24 h gets the first answer again (Idempotent-Replayed: true) without running again; the same key with another request is 422; a repeat while the first runs is 409 with Retry-After.';

/** Stable, unique per function: `bootstrap_post_api_v1_admin_bootstrap`. */
export function operationId(functionName: string, route: RouteDef): string {
  const slug = route.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '');
  return `${functionName}_${route.method.toLowerCase()}_${slug || 'root'}`;
}
