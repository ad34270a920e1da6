import type { z } from 'zod';
import type { AppDeps } from '../context/index.js';
import type { AuthPolicy } from '../auth/policy.js';
import type { Principal } from '../context/index.js';
import type { Ctx } from '../context/index.js';

export type { AuthPolicy };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HandlerContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  principal: Principal;
  request: Request;
  requestId: string;
  deps: AppDeps;
  /** What verbs take: the deps plus the actor and the request (see context.ts). */
  ctx: Ctx;
}

/** Marks a route that answers a page rather than JSON (only /docs): its handler builds its own Response. */
export const HTML = Object.freeze({ kind: 'html' as const });
export type HtmlBody = typeof HTML;

/**
 * Marks a route that answers a file download: its handler returns a Response whose body is a
 * ReadableStream, with one of `contentTypes` and `Content-Disposition: attachment` (checked by
 * response-check.ts). The body is passed through to the client chunk by chunk, never buffered.
 */
export interface DownloadBody { readonly kind: 'download'; readonly contentTypes: readonly string[] }
export function download(contentTypes: readonly string[]): DownloadBody {
  return Object.freeze({ kind: 'download' as const, contentTypes: Object.freeze([...contentTypes]) });
}

/** A route's success body: the zod schema of its JSON, HTML, or a download. */
export type ResponseSpec = z.ZodType | HtmlBody | DownloadBody;

/**
 * What a handler may return: the JSON body, or a `Reply` of it for another status or headers.
 * Typed by the schema's *input* side on purpose: the router sends exactly what the handler
 * returned (JSON.stringify), never a parsed copy, and the check in development parses a copy
 * and throws the result away; so the wire carries input-side values, and the OpenAPI documents
 * describe that side too (json-schema.ts, io: 'input'). Response schemas therefore hold no
 * transforms or defaults. Only an HTML route may return a raw Response.
 * TypeScript widens a string literal inside an object literal that a handler builds itself
 * (`{ status: 'ok' }` is checked as `status: string`), so against a `z.literal`/`z.enum` field
 * write `'ok' as const`; results typed by a verb need nothing.
 */
export type HandlerResult<RS> = RS extends z.ZodType ? z.input<RS> | Reply<z.input<RS>> : Response;
// (HTML and DOWNLOAD routes return a Fetch Response; a download's body is a stream.)

export interface RouteDef<
  PS extends z.ZodType = z.ZodType,
  QS extends z.ZodType = z.ZodType,
  BS extends z.ZodType = z.ZodType,
  RS extends ResponseSpec = ResponseSpec,
> {
  method: HttpMethod;
  /** OpenAPI form: `/api/v1/organizations/{org_slug}/locale`. */
  path: string;
  auth: AuthPolicy;
  summary: string;
  description?: string;
  tags?: string[];
  params?: PS;
  query?: QS;
  body?: BS;
  /**
   * The success body. The handler's return type is checked against it at compile time, every
   * response is checked against it at run time outside production (response-check.ts), and
   * OpenAPI, the gateway spec and the typed client document it.
   */
  response: RS;
  successStatus?: number;
  /**
   * Other statuses the handler answers with a `Reply` whose body also follows `response`
   * (e.g. /health/ready's 503). Documented with that schema instead of the error envelope; a
   * Reply with a status declared nowhere fails the check.
   */
  alsoReplies?: readonly number[];
  /** Org keys with only the `read` scope are refused on mutating routes; GET is not mutating. */
  mutating?: boolean;
  /** Served but left out of the API Gateway spec (e.g. /docs in development). */
  internal?: boolean;
  /**
   * Exists for development only (it answers 403 elsewhere): left out of the production API
   * Gateway spec, so the public gateway does not even route to it.
   */
  devOnly?: boolean;
  /** The rate-limit class (configs/system/rate-limits.yml); by default `costs` for the costs function, else by method. */
  rateClass?: 'read' | 'mutation' | 'costs';
  /**
   * The success answer carries a secret (a new org key): a replay of it under an
   * Idempotency-Key is stored encrypted, bound to that key, and decrypted only for the replay.
   */
  secretResponse?: boolean;
  /** May answer synchronously (a warm cache): the router then makes no promise for it. */
  handler(ctx: HandlerContext<z.output<PS>, z.output<QS>, z.output<BS>>): HandlerResult<RS> | Promise<HandlerResult<RS>>;
}

/**
 * Keeps each route file's generics inferred: the request schemas type the handler's arguments,
 * the response schema its result. Route tables hold the erased `RouteDef`.
 */
export function defineRoute<PS extends z.ZodType = z.ZodType, QS extends z.ZodType = z.ZodType, BS extends z.ZodType = z.ZodType, RS extends ResponseSpec = ResponseSpec>(
  route: RouteDef<PS, QS, BS, RS>,
): RouteDef {
  return route as unknown as RouteDef;
}

export function isMutating(route: RouteDef): boolean {
  return route.mutating ?? route.method !== 'GET';
}

export function isHtml(spec: ResponseSpec | undefined): spec is HtmlBody {
  return spec === HTML;
}

export function isDownload(spec: ResponseSpec | undefined): spec is DownloadBody {
  return typeof spec === 'object' && spec !== null && (spec as { kind?: unknown }).kind === 'download';
}

/** `{org_slug}` → `:org_slug` for itty-router. */
export function toIttyPath(path: string): string {
  return path.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, ':$1');
}

export function pathParams(path: string): string[] {
  return [...path.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]!);
}

/** What handlers return when the status is not the route's default; `body` follows the route's response schema. */
export class Reply<T = unknown> {
  constructor(readonly status: number, readonly body: T, readonly headers: Record<string, string> = {}) {}
}

/** Matches a concrete path against an OpenAPI path template (a trailing slash is tolerated). */
export function pathRegex(path: string): RegExp {
  const pattern = path.split(/\{[A-Za-z_][A-Za-z0-9_]*\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+');
  return new RegExp(`^${pattern}/?$`);
}
