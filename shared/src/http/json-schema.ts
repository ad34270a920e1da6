import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

/** The request-side JSON Schema of a zod schema, in OpenAPI 3.0's dialect. */
export function toOpenApiSchema(schema: z.ZodType): JsonSchema {
  const out = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete out.$schema;
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
