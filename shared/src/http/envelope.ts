import { AppError, codeToStatus, type ErrorCode, type ErrorDetails } from '../errors.js';
import { WarehouseUnavailableError } from '../warehouse/port.js';

export const REQUEST_ID_HEADER = 'x-request-id';

export interface ErrorEnvelope {
  error: ErrorCode;
  message: string;
  details?: ErrorDetails;
  request_id: string;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/**
 * The one error envelope. A warehouse that stays unavailable after retries is a 503 (clients may
 * retry); anything else that is not an AppError becomes a 500 that says nothing of its cause.
 */
export function errorResponse(err: unknown, requestId: string): Response {
  const appError = err instanceof AppError
    ? err
    : err instanceof WarehouseUnavailableError
      ? new AppError('SERVICE_UNAVAILABLE', 'The data warehouse is unavailable; try again shortly')
      : new AppError('INTERNAL_ERROR', 'Internal server error');
  const body: ErrorEnvelope = {
    error: appError.code,
    message: appError.message,
    ...(appError.details ? { details: appError.details } : {}),
    request_id: requestId,
  };
  return json(codeToStatus[appError.code], body);
}
