import { pathParams, type RouteDef } from '@cloudact/shared/http/route';
import { functionTables } from '../../scripts/function-tables.js';

/**
 * Every route of every function's route table (scripts/function-tables.ts), with the function
 * that serves it: what the generated suites (the security matrix, the happy-path matrix) walk.
 */
export interface TableRoute { fn: string; route: RouteDef }

export const allRoutes: readonly TableRoute[] = functionTables.flatMap((t) => t.routes.map((route) => ({ fn: t.name, route })));

/** `METHOD /path/{param}`: how a route is named in test names and case tables. */
export function routeKey(route: Pick<RouteDef, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

/**
 * The route's path with its parameters filled in: `org_slug` is `org`, any other parameter is
 * `values[name]` when given, else a placeholder that passes the parameter's format (a key hash
 * of zeros, `x_test_value` for the rest).
 */
export function concretePath(route: Pick<RouteDef, 'path'>, org: string, values: Readonly<Record<string, string>> = {}): string {
  return pathParams(route.path).reduce((p, name) => p.replace(`{${name}}`, encodeURIComponent(
    name === 'org_slug' ? org : values[name] ?? (name === 'key_hash' ? '0'.repeat(64) : 'x_test_value'),
  )), route.path);
}
