import { callProvider, providerMessage, type ProviderHttp } from './provider-http.js';
import type { ProviderDef } from './registry.js';

export interface CheckResult {
  status: 'VALID' | 'INVALID';
  error: string | null;
  /** A service-account key's expiry (its certificate's notAfter), when Google publishes it; API keys have none. */
  key_expires_at?: string | null;
}

/**
 * Checks an API key the way the registry says: one authenticated GET. 2xx is VALID; 401 and 403
 * are INVALID with a fixed reason; any other 4xx or a redirect is INVALID with the provider's
 * (scrubbed) message. Unreachable after retries → 502 (see provider-http.ts).
 */
export async function checkApiKey(http: ProviderHttp, def: ProviderDef, apiKey: string): Promise<CheckResult> {
  const check = def.check!;
  const url = new URL(`${def.baseUrl}${check.path}`);
  const headers: Record<string, string> = { accept: 'application/json', ...(check.headers ?? {}) };
  if (check.auth) headers[check.auth.header] = `${check.auth.prefix}${apiKey}`;
  if (check.query_param) url.searchParams.set(check.query_param, apiKey);
  const res = await callProvider(http, { provider: def.display_name, timeoutMs: def.timeout_ms, attempts: def.attempts }, url.toString(), { method: 'GET', headers });
  return interpret(res, apiKey);
}

export function interpret(res: { status: number; text: string }, secret: string, what = 'API key'): CheckResult {
  if (res.status >= 200 && res.status < 300) return { status: 'VALID', error: null };
  if (res.status === 401) return { status: 'INVALID', error: `Invalid ${what}` };
  if (res.status === 403) return { status: 'INVALID', error: `${what} lacks required permissions` };
  if (res.status >= 300 && res.status < 400) return { status: 'INVALID', error: `The provider answered with a redirect (HTTP ${res.status}); redirects are not followed` };
  return { status: 'INVALID', error: providerMessage(res.text, secret) || `Rejected by the provider (HTTP ${res.status})` };
}
