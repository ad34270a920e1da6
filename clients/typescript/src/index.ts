import createClient, { type Client } from 'openapi-fetch';
import type { components, operations, paths } from './api.js';

/**
 * The typed client of the CloudAct control-plane API. Paths, parameters, bodies and answers
 * come from the generated types (src/api.ts, `pnpm gen`); openapi-fetch does the calls:
 *
 *   const api = createCloudActClient({ baseUrl, apiKey });
 *   const { data, error, response } = await api.GET('/api/v1/organizations/{org_slug}/locale', { params: { path: { org_slug } } });
 *
 * `data` is the success body, `error` the error envelope; exactly one is set.
 */
export type { components, operations, paths };

export type CloudActClient = Client<paths>;

/** The one error envelope every non-2xx answer carries. */
export type ErrorEnvelope = components['schemas']['ErrorEnvelope'];

export interface CloudActClientOptions {
  /** API Gateway's URL, or the local gateway's (`npm start` prints it). No trailing `/api/v1`. */
  baseUrl: string;
  /** An org API key (`sk_{org}_...`), sent as X-API-Key: routes of that org. */
  apiKey?: string;
  /** The root key, sent as X-CA-Root-Key: admin routes. Never give it to a browser. */
  rootKey?: string;
  /** Another fetch (tests, retries, tracing); the global one by default. */
  fetch?: (request: Request) => Promise<Response>;
  /** Extra headers on every request (e.g. X-Request-ID). */
  headers?: Record<string, string>;
}

export function createCloudActClient(options: CloudActClientOptions): CloudActClient {
  const headers: Record<string, string> = { ...options.headers };
  if (options.apiKey) headers['X-API-Key'] = options.apiKey;
  if (options.rootKey) headers['X-CA-Root-Key'] = options.rootKey;
  return createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
