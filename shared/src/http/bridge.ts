import type { Request as ExpressRequest, Response as ExpressResponse } from '@google-cloud/functions-framework';
import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';

/** The part of functions-framework's request we read; `rawBody` is set by its body parsers. */
export type FrameworkRequest = Pick<ExpressRequest, 'method' | 'headers' | 'originalUrl' | 'url'> & {
  rawBody?: Buffer;
  protocol?: string;
};

/**
 * Express (functions-framework) → Fetch Request with an absolute URL, as itty-router needs.
 * The body is `req.rawBody`: the framework has already consumed the stream.
 */
export function toFetchRequest(req: FrameworkRequest): Request {
  const host = firstHeader(req.headers['x-forwarded-host']) ?? firstHeader(req.headers.host) ?? 'localhost';
  const url = new URL(req.originalUrl || req.url || '/', `http://${host}`);
  const headers = fetchHeaders(req.headers);
  const method = (req.method ?? 'GET').toUpperCase();
  const hasBody = method !== 'GET' && method !== 'HEAD' && req.rawBody !== undefined && req.rawBody.length > 0;
  return new Request(url, { method, headers, body: hasBody ? new Uint8Array(req.rawBody!) : undefined });
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

/** Fetch Response → Express response. */
export async function sendFetchResponse(response: Response, res: Pick<ExpressResponse, 'status' | 'setHeader' | 'end'> & NodeJS.WritableStream): Promise<void> {
  res.status(response.status);
  response.headers.forEach((value, name) => res.setHeader(name, value));
  if (!response.body) {
    res.end();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    Readable.fromWeb(response.body as unknown as NodeReadableStream<Uint8Array>)
      .on('error', reject)
      .pipe(res)
      .on('finish', () => resolve())
      .on('error', reject);
  });
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
