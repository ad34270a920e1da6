import type { z } from 'zod';
import { AppError, fieldErrors, ValidationError } from '../errors.js';

/** Parses one part of a request against its schema; a failure is a 422 naming each field. */
export function parsePart<S extends z.ZodType>(schema: S | undefined, value: unknown, part: 'path' | 'query' | 'body'): z.output<S> | undefined {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = fieldErrors(result.error.issues, part);
  // `detail` is what a client shows: it names every failing field, not only that one failed.
  const named = Object.entries(fields).map(([field, msgs]) => `${field}: ${msgs.join('; ')}`).join(', ');
  throw new ValidationError(`Invalid request ${part}${named ? ` (${named.length > 500 ? `${named.slice(0, 500)}…` : named})` : ''}`, fields);
}

/** A query string (`?a=1&b=2`, or empty) as an object; a repeated name becomes an array. */
export function queryObject(search: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (search.length <= 1) return out;
  const params = new URLSearchParams(search);
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    out[key] = all.length === 1 ? all[0]! : all;
  }
  return out;
}

/**
 * Reads a JSON body. An empty body counts as `{}` (a POST with no options is a normal call);
 * anything that is not a JSON object or array is a 422 with the parser's reason.
 */
export function readJsonBody(buf: Uint8Array, maxBytes: number): unknown {
  if (buf.byteLength > maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `Request body is larger than ${maxBytes} bytes`);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(buf).trim();
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ValidationError('Malformed JSON body', { body: [`Malformed JSON: ${(err as Error).message}`] });
  }
}
