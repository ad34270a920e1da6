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

export interface RouteDef<
  PS extends z.ZodType = z.ZodType,
  QS extends z.ZodType = z.ZodType,
  BS extends z.ZodType = z.ZodType,
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
  /** Documented success body (OpenAPI only; handlers are typed by their own code). */
  response?: z.ZodType;
  successStatus?: number;
  /** Org keys with only the `read` scope are refused on mutating routes; GET is not mutating. */
  mutating?: boolean;
  /** Served but left out of the API Gateway spec (e.g. /docs in development). */
  internal?: boolean;
  /**
   * Exists for development only (it answers 403 elsewhere): left out of the production API
   * Gateway spec, so the public gateway does not even route to it.
   */
  devOnly?: boolean;
  handler(ctx: HandlerContext<z.output<PS>, z.output<QS>, z.output<BS>>): Promise<unknown>;
}

/** Identity helper that keeps each route file's generics inferred. */
export function defineRoute<PS extends z.ZodType = z.ZodType, QS extends z.ZodType = z.ZodType, BS extends z.ZodType = z.ZodType>(
  route: RouteDef<PS, QS, BS>,
): RouteDef {
  return route as unknown as RouteDef;
}

export function isMutating(route: RouteDef): boolean {
  return route.mutating ?? route.method !== 'GET';
}

/** `{org_slug}` → `:org_slug` for itty-router. */
export function toIttyPath(path: string): string {
  return path.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, ':$1');
}

export function pathParams(path: string): string[] {
  return [...path.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]!);
}

/** What handlers return when the status is not the route's default. */
export class Reply {
  constructor(readonly status: number, readonly body: unknown, readonly headers: Record<string, string> = {}) {}
}

/** Matches a concrete path against an OpenAPI path template (a trailing slash is tolerated). */
export function pathRegex(path: string): RegExp {
  const pattern = path.split(/\{[A-Za-z_][A-Za-z0-9_]*\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+');
  return new RegExp(`^${pattern}/?$`);
}
