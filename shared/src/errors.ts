import { z } from 'zod';

/**
 * Every error the API can answer with. One enum, one status table: a handler never picks a
 * status code itself, it throws one of the classes below (or lets validation do it).
 */
export const ErrorCode = z.enum([
  'BAD_REQUEST',
  'VALIDATION_ERROR',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  'PROVIDER_UNAVAILABLE',
  'INTERNAL_ERROR',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const codeToStatus: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  VALIDATION_ERROR: 422,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  /** A provider (OpenAI, Google ...) could not be reached to check a credential; nothing was stored. */
  PROVIDER_UNAVAILABLE: 502,
  INTERNAL_ERROR: 500,
};

export type ErrorDetails = Record<string, unknown>;

/** Base of every error that is meant to reach the caller. Knows nothing of HTTP. */
export class AppError extends Error {
  /** When the caller may usefully try again (429, 503, some 409s); the transport says how. */
  retryAfterSeconds?: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetails,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options);
    this.name = new.target.name;
    if (options?.retryAfterSeconds !== undefined) this.retryAfterSeconds = Math.max(1, Math.ceil(options.retryAfterSeconds));
  }
}

export class BadRequestError extends AppError {
  constructor(message: string, details?: ErrorDetails) {
    super('BAD_REQUEST', message, details);
  }
}

/** Input that does not match the declared schema; `details.fields` maps a path to its problems. */
export class ValidationError extends AppError {
  constructor(message: string, fields: Record<string, string[]>) {
    super('VALIDATION_ERROR', message, { fields });
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Authentication required') {
    super('UNAUTHORIZED', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Not allowed') {
    super('FORBIDDEN', message);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string, details?: ErrorDetails) {
    super('NOT_FOUND', message, details);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details?: ErrorDetails, options?: { retryAfterSeconds?: number }) {
    super('CONFLICT', message, details, options);
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(message: string, options?: { cause?: unknown; retryAfterSeconds?: number; details?: ErrorDetails }) {
    super('SERVICE_UNAVAILABLE', message, options?.details, options);
  }
}

export class ProviderUnavailableError extends AppError {
  constructor(message: string, details?: ErrorDetails) {
    super('PROVIDER_UNAVAILABLE', message, details, { retryAfterSeconds: 30 });
  }
}

export class RateLimitedError extends AppError {
  /** The RateLimit-* values of the budget that was hit; the transport sends them as headers. */
  constructor(message: string, retryAfterSeconds: number, details?: ErrorDetails, readonly limitHeaders: Record<string, string> = {}) {
    super('RATE_LIMITED', message, details, { retryAfterSeconds });
  }
}

/** Flattens zod issues into `{ "body.org_slug": ["..."] }` for the 422 envelope. */
export function fieldErrors(issues: readonly z.core.$ZodIssue[], prefix: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of issues) {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
    for (const path of keys) {
      const key = [prefix, ...path.map(String)].filter(Boolean).join('.');
      const message = issue.code === 'unrecognized_keys' ? 'Unknown field' : issue.message;
      (out[key] ??= []).push(message);
    }
  }
  return out;
}

/** A 422 naming one field: `field: message` in detail, the field's message in details. */
export function refuseField(field: string, message: string): never {
  throw new ValidationError(`${field}: ${message}`, { [field]: [message] });
}

/** An error as a short line for an answer's errors list (its message, at most 300 characters). */
export function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 300);
}
