import type { z } from 'zod';
import type { AppDeps } from '../context/index.js';
import { AppError } from '../errors.js';
import { isDownload, isHtml, Reply, type RouteDef } from './route.js';

/**
 * A handler answered something its route's response schema does not describe. Development
 * (and so every test) answers it as a 500 whose envelope names the route and each mismatch,
 * so the failing test shows what drifted; it is never raised in staging or production.
 */
export class ResponseMismatchError extends AppError {
  constructor(route: RouteDef, status: number, problems: string[]) {
    super('INTERNAL_ERROR', `Response of ${route.method} ${route.path} (${status}) does not match its declared schema: ${problems.join('; ')}`, { route: `${route.method} ${route.path}`, status, problems });
  }
}

/**
 * Checks what a handler returned against its route's declared response, so `/openapi.json`
 * and the typed client describe what the API really sends:
 * - development: a mismatch is logged at ERROR and thrown (a 500 envelope naming it);
 * - staging: logged at ERROR, and the response goes out unchanged (find drift, break nobody);
 * - production: nothing is checked (one comparison per request).
 * The JSON text the client will get is what is checked (a Date becomes a string, undefined
 * fields vanish), and the parsed copy is thrown away: the response is never altered.
 */
export function checkResponse(route: RouteDef, result: unknown, deps: Pick<AppDeps, 'config' | 'logger'>, requestId: string): void {
  const environment = deps.config.environment;
  if (environment === 'production') return;
  const status = result instanceof Reply ? result.status : result instanceof Response ? result.status : route.successStatus ?? 200;
  const problems = mismatches(route, result, status);
  if (!problems.length) return;
  const error = new ResponseMismatchError(route, status, problems);
  deps.logger.log('ERROR', error.message, { request_id: requestId, route: `${route.method} ${route.path}`, status, problems });
  if (environment === 'development') throw error;
}

/** What is wrong with a handler's result for this route; empty when nothing is. */
export function mismatches(route: RouteDef, result: unknown, status: number): string[] {
  if (isHtml(route.response)) {
    if (!(result instanceof Response)) return ['an HTML route must return a Response'];
    return /^text\/html\b/.test(result.headers.get('content-type') ?? '') ? [] : [`content-type is ${result.headers.get('content-type') ?? 'missing'}, not text/html`];
  }
  if (isDownload(route.response)) return downloadMismatches(route.response.contentTypes, result);
  if (result instanceof Response) return ['a JSON route returned a raw Response, which no schema describes (return the body, or a Reply)'];
  const problems: string[] = [];
  const declared = [route.successStatus ?? 200, ...(route.alsoReplies ?? [])];
  if (!declared.includes(status)) problems.push(`status ${status} is not declared (successStatus ${route.successStatus ?? 200}, alsoReplies [${(route.alsoReplies ?? []).join(', ')}])`);
  const body = result instanceof Reply ? result.body : result;
  const parsed = route.response.safeParse(onTheWire(body));
  if (!parsed.success) problems.push(...parsed.error.issues.map(describe));
  return problems;
}

/** A download is a streamed Response of a declared type, named by Content-Disposition as an attachment. */
function downloadMismatches(types: readonly string[], result: unknown): string[] {
  if (!(result instanceof Response)) return ['a download route must return a Response'];
  const problems: string[] = [];
  const type = (result.headers.get('content-type') ?? '').split(';')[0]!.trim();
  if (!types.includes(type)) problems.push(`content-type is ${type || 'missing'}, not one of ${types.join(', ')}`);
  if (!/^attachment;\s*filename="[^"\\/]+"/.test(result.headers.get('content-disposition') ?? '')) problems.push('Content-Disposition must be attachment; filename="..."');
  if (!(result.body instanceof ReadableStream)) problems.push('a download body must be a ReadableStream');
  return problems;
}

function onTheWire(body: unknown): unknown {
  if (body === undefined) return undefined;
  return JSON.parse(JSON.stringify(body)) as unknown;
}

function describe(issue: z.core.$ZodIssue): string {
  const at = issue.path.length ? issue.path.map(String).join('.') : '(body)';
  if (issue.code === 'unrecognized_keys') return `${at}: undocumented field(s) ${issue.keys.join(', ')}`;
  return `${at}: ${issue.message}`;
}
