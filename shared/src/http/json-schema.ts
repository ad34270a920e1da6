import { z } from 'zod';
import { isDownload, isHtml, type ResponseSpec } from './route.js';

export type JsonSchema = Record<string, unknown>;

/**
 * The JSON Schema of a zod schema, in OpenAPI 3.0's dialect, for its *input* side: what a
 * client sends for a request, and what a handler returns (and the router sends as is) for a
 * response (see HandlerResult in route.ts). An HTML page is a string.
 */
export function toOpenApiSchema(schema: ResponseSpec): JsonSchema {
  if (isHtml(schema)) return { type: 'string' };
  if (isDownload(schema)) return { type: 'string', format: 'binary' };
  const out = tidy(z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' })) as JsonSchema;
  delete out.$schema;
  return out;
}

const SAFE = Number.MAX_SAFE_INTEGER;

/**
 * Drops what zod spells out but says nothing to a reader or a generator: the regex beside a
 * `format` (date-time, date, email: the format names it), and ±2^53-1 bounds on every int.
 */
function tidy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(tidy);
  if (!v || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) {
    if (k === 'pattern' && 'format' in v) continue;
    if ((k === 'minimum' && val === -SAFE) || (k === 'maximum' && val === SAFE)) continue;
    out[k] = tidy(val);
  }
  return out;
}

/** Properties of an object schema, for path and query parameters. */
export function objectProperties(schema: z.ZodType | undefined): { name: string; schema: JsonSchema; required: boolean; description?: string }[] {
  if (!schema) return [];
  const js = toOpenApiSchema(schema);
  const props = (js.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((js.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => ({
    name,
    schema: s,
    required: required.has(name),
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
  }));
}

/** OpenAPI 3.0 → Swagger 2.0 schema: `nullable` has no 2.0 spelling but the x-nullable extension. */
export function toSwagger2Schema(schema: JsonSchema): JsonSchema {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!v || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v)) {
      if (k === 'nullable') out['x-nullable'] = val;
      else if (k === 'oneOf' || k === 'anyOf') out['x-' + k] = walk(val);
      else out[k] = walk(val);
    }
    return out;
  };
  return walk(schema) as JsonSchema;
}
