/**
 * A request and its answer as the router reads and makes them, without Fetch objects.
 *
 * A Fetch Request/Response costs a URL parse, a Headers copy, an AbortSignal and a body stream
 * (three promises), and the first one loads Node's Fetch implementation (undici, ~25 ms of a
 * cold start). Deployed, every request comes from functions-framework as an Express request and
 * leaves as an Express response, and the framework runs each request inside a Node `domain`,
 * whose async hook makes every promise several times dearer. So the deployed path hands the
 * router this shape (bridge.ts), and `app.fetch` (local gateway, tests) wraps the same code.
 */

/** What the router reads of headers: Fetch `Headers` has it, and so does the bridge's reader. */
export interface HeaderReader {
  /** The value (repeated headers joined with `, `), or null; names are lower-case. */
  get(name: string): string | null;
}

export interface AppRequest {
  /** Upper-case, as on the wire. */
  method: string;
  /** The request target: path and query string (`/api/v1/i18n/currencies?x=1`). */
  target: string;
  headers: HeaderReader;
  /** The body bytes; read only by routes that declare a body. */
  body(): Uint8Array | Promise<Uint8Array>;
  /** A Fetch Request for a handler that asks for one (built on demand). */
  fetchRequest(): Request;
}

export interface AppAnswer {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  /**
   * JSON text, the bytes of a handler's own Response, a download's stream (passed through
   * unbuffered: the bridge pipes it with backpressure), or null for none (and for HEAD).
   */
  body: string | Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array> | null;
}

/**
 * A request target split into the path the routes match and the query string. A plain path
 * (letters, digits, `-_.~/`, no dot segments, no escapes) is used as it is; anything else goes
 * through the URL parser, so routing sees exactly the path a Fetch Request's URL would have.
 */
export function splitTarget(target: string): { path: string; search: string } {
  const hash = target.indexOf('#');
  const t = hash === -1 ? target : target.slice(0, hash);
  const q = t.indexOf('?');
  const path = q === -1 ? t : t.slice(0, q);
  const search = q === -1 ? '' : t.slice(q);
  if (PLAIN_PATH.test(path)) return { path, search };
  // Origin-form (`/path`) is appended to a base as the bridge always did, so `//x` stays a path.
  const url = t.startsWith('/') ? new URL(`http://target.invalid${t}`) : new URL(t, 'http://target.invalid');
  return { path: url.pathname, search: url.search };
}

/** Segments that cannot be a dot segment or carry anything the URL parser would rewrite. */
const PLAIN_PATH = /^(?:\/(?:[A-Za-z0-9_~-][A-Za-z0-9_.~-]*)?)+$/;
