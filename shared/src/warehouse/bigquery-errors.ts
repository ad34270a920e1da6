/**
 * What a BigQuery error means for the caller. The client library reports an API call's failure
 * as an error with an HTTP `code` and `errors[].reason`; a job that failed (seen at creation or
 * when polling) carries the job's own errors the same way, sometimes without a code. Messages are
 * matched too because some conditions (the DML queue, serialization) have no reason of their own.
 */
export type BqFailure =
  /** "Could not serialize access": a concurrent DML won; this one wrote nothing and may rerun. */
  | 'conflict'
  /** "Too many DML statements outstanding against table": the per-table queue (20) is full; nothing ran. */
  | 'dmlQueue'
  /** 429, rateLimitExceeded, jobRateLimitExceeded, quotaExceeded: refused before running. */
  | 'rateLimit'
  /** resourcesExceeded: the job ran out of memory or slots; rerunning at once rarely helps. */
  | 'resources'
  /** The job hit its timeout or was cancelled: a stopped DML commits nothing. */
  | 'timeout'
  /** 500/502/503/504, backendError, internalError: the call failed; whether a job ran is unknown. */
  | 'transient'
  | 'exists'
  | 'notFound'
  | 'other';

/** Seconds a caller should wait before trying again after each kind of failure (→ `Retry-After`). */
export const RETRY_AFTER_SECONDS: Record<'conflict' | 'dmlQueue' | 'rateLimit' | 'resources' | 'timeout' | 'transient', number> = {
  conflict: 1,
  dmlQueue: 5,
  rateLimit: 10,
  resources: 30,
  timeout: 5,
  transient: 5,
};

export function classifyBqError(err: unknown): BqFailure {
  const status = httpStatus(err);
  const rs = reasons(err);
  const text = messages(err);
  if (/could not serialize access/i.test(text)) return 'conflict';
  if (/too many DML statements outstanding/i.test(text)) return 'dmlQueue';
  if (status === 429 || rs.some((r) => /^(rateLimitExceeded|jobRateLimitExceeded|quotaExceeded|userRateLimitExceeded)$/.test(r)) || /exceeded rate limits/i.test(text)) return 'rateLimit';
  if (rs.includes('resourcesExceeded') || /resources exceeded/i.test(text)) return 'resources';
  if (isNetworkError(err) || status === 500 || status === 502 || status === 503 || status === 504 || rs.some((r) => r === 'backendError' || r === 'internalError')) return 'transient';
  if (rs.includes('timeout') || rs.includes('stopped') || /timed out|did not complete before|job execution was cancelled/i.test(text)) return 'timeout';
  if (status === 409 || rs.includes('duplicate')) return 'exists';
  if (status === 404 || rs.includes('notFound')) return 'notFound';
  return 'other';
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function httpStatus(err: unknown): number | undefined {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

/** ECONNRESET, ETIMEDOUT and the like: the request never got an answer. */
function isNetworkError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && /^E[A-Z_]+$/.test(code);
}

function reasons(err: unknown): string[] {
  const errors = (err as { errors?: { reason?: string }[] })?.errors;
  return Array.isArray(errors) ? errors.map((e) => e?.reason ?? '') : [];
}

function messages(err: unknown): string {
  const errors = (err as { errors?: { message?: string }[] })?.errors;
  const nested = Array.isArray(errors) ? errors.map((e) => e?.message ?? '') : [];
  return [errorMessage(err), ...nested].join('\n');
}
