import { AppError, codeToStatus, type ErrorCode, type ErrorDetails, RateLimitedError } from '../errors.js';
import { WarehouseUnavailableError } from '../warehouse/port.js';
import type { AppAnswer } from './exchange.js';

export const REQUEST_ID_HEADER = 'x-request-id';

export interface ErrorEnvelope {
  error: ErrorCode;
  message: string;
  /** The same text as `message`: the web app's client was written for FastAPI, which says `detail`. */
  detail: string;
  details?: ErrorDetails;
  request_id: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** A JSON answer for the router (see exchange.ts); header names lower-case. */
export function jsonAnswer(status: number, body: unknown, headers?: Record<string, string>): AppAnswer {
  const out: Record<string, string> = { 'content-type': JSON_TYPE };
  if (headers) for (const name in headers) out[name.toLowerCase()] = headers[name]!;
  return { status, headers: out, body: body === undefined ? null : JSON.stringify(body) };
}

/** A JSON Response (Fetch), for callers outside the router. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return toResponse(jsonAnswer(status, body, headers));
}

export function toResponse(answer: AppAnswer): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

/**
 * The one error envelope. A warehouse that stays unavailable after retries is a 503 (clients may
 * retry); anything else that is not an AppError becomes a 500 that says nothing of its cause.
 */
export function errorResponse(err: unknown, requestId: string): Response {
  return toResponse(errorAnswer(err, requestId));
}

/** The error envelope as a router answer (see exchange.ts). */
export function errorAnswer(err: unknown, requestId: string): AppAnswer {
  const appError = toAppError(err);
  const body: ErrorEnvelope = {
    error: appError.code,
    message: appError.message,
    detail: appError.message,
    ...(appError.details ? { details: appError.details } : {}),
    request_id: requestId,
  };
  const headers: Record<string, string> = appError.retryAfterSeconds ? { 'retry-after': String(appError.retryAfterSeconds) } : {};
  if (appError instanceof RateLimitedError) Object.assign(headers, appError.limitHeaders);
  return jsonAnswer(codeToStatus[appError.code], body, headers);
}

/** A warehouse still failing after its own retries is a 503 the caller may retry; the rest says nothing of its cause. */
function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof WarehouseUnavailableError) {
    const retryAfterSeconds = err.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS;
    return new AppError('SERVICE_UNAVAILABLE', 'The data warehouse is busy or unavailable; try again shortly', undefined, { retryAfterSeconds });
  }
  if (isMissingCentralTable(err)) {
    return new AppError('SERVICE_UNAVAILABLE', 'The central tables do not exist (yet): run POST /api/v1/admin/bootstrap once', { reason: 'not_bootstrapped' }, { retryAfterSeconds: 30 });
  }
  return new AppError('INTERNAL_ERROR', 'Internal server error');
}

/**
 * A database that was never bootstrapped, or was wiped, fails every query on the central
 * dataset. That is an operator's to fix, and says so, instead of a 500 per request.
 * DuckDB: "Table with name org_profiles does not exist"; BigQuery: "Not found: Table p:organizations.org_profiles".
 */
function isMissingCentralTable(err: unknown): boolean {
  const message = err instanceof Error ? err.message : '';
  return /(does not exist|not found)/i.test(message) && /\borganizations\b|\borg_[a-z_]+\b/.test(message);
}

const DEFAULT_RETRY_AFTER_SECONDS = 5;
