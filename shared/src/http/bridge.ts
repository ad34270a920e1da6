import type { Request as ExpressRequest, Response as ExpressResponse } from '@google-cloud/functions-framework';
import type { IncomingHttpHeaders } from 'node:http';
import { jsonTextOf } from './envelope.js';

/** The part of functions-framework's request we read; `rawBody` is set by its body parsers. */
export type FrameworkRequest = Pick<ExpressRequest, 'method' | 'headers' | 'originalUrl' | 'url'> & {
  rawBody?: Buffer;
  protocol?: string;
};

/**
 * Express (functions-framework) → Fetch Request with an absolute URL, as itty-router needs.
 * The body is `req.rawBody`: the framework has already consumed the stream.
 *
 * Per request, so kept lean: the URL goes in as a string and the headers as a list, which the
 * Request parses once (a URL object and a Headers object here would each be parsed again).
 */
export function toFetchRequest(req: FrameworkRequest): Request {
  const host = firstHeader(req.headers['x-forwarded-host']) ?? firstHeader(req.headers.host) ?? 'localhost';
  const path = req.originalUrl || req.url || '/';
  const url = path.startsWith('/') ? `http://${host}${path}` : new URL(path, `http://${host}`).href;
  const method = (req.method ?? 'GET').toUpperCase();
  const hasBody = method !== 'GET' && method !== 'HEAD' && req.rawBody !== undefined && req.rawBody.length > 0;
  return new Request(url, { method, headers: headerList(req.headers), body: hasBody ? new Uint8Array(req.rawBody!) : undefined });
}

function headerList(incoming: IncomingHttpHeaders): [string, string][] {
  const list: [string, string][] = [];
  for (const name in incoming) {
    const value = incoming[name];
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) list.push([name, v]);
    else list.push([name, value]);
  }
  return list;
}

/** Node's incoming headers (repeated ones as arrays) → Fetch Headers. */
export function fetchHeaders(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  return headers;
}

/**
 * Fetch Response → Express response. Bodies here are JSON documents held in memory, so the body
 * is read whole and written with one `end()`: piping the web stream through Readable.fromWeb
 * costs dozens of promises per response, and functions-framework runs every request inside a
 * domain, whose async hook makes each promise expensive (it halved throughput).
 */
export async function sendFetchResponse(response: Response, res: Pick<ExpressResponse, 'status' | 'setHeader' | 'end'>): Promise<void> {
  res.status(response.status);
  response.headers.forEach((value, name) => res.setHeader(name, value));
  if (!response.body) {
    res.end();
    return;
  }
  const text = jsonTextOf(response);
  res.end(text ?? Buffer.from(await response.arrayBuffer()));
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
