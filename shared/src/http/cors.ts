/** CORS for the origins in CORS_ORIGINS (`*` allows any). Only listed origins get CORS headers. */
export const ALLOWED_HEADERS = 'Content-Type, X-API-Key, X-CA-Root-Key, X-Request-ID, Authorization';
export const EXPOSED_HEADERS = 'X-Request-ID';

export function allowedOrigin(origin: string | null, allowed: readonly string[]): string | undefined {
  if (!origin) return undefined;
  if (allowed.includes('*')) return origin;
  return allowed.includes(origin) ? origin : undefined;
}

export function corsHeaders(origin: string): Record<string, string> {
  return {
    'access-control-allow-origin': origin,
    'access-control-expose-headers': EXPOSED_HEADERS,
    vary: 'Origin',
  };
}

export function preflightHeaders(origin: string, methods: string[]): Record<string, string> {
  return {
    ...corsHeaders(origin),
    'access-control-allow-methods': [...new Set([...methods, 'OPTIONS'])].join(', '),
    'access-control-allow-headers': ALLOWED_HEADERS,
    'access-control-max-age': '600',
  };
}
