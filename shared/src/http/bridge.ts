import type { Request as ExpressRequest } from '@google-cloud/functions-framework';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { pipeline, Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { AppAnswer, AppRequest, HeaderReader } from './exchange.js';

/** The part of functions-framework's request we read; `rawBody` is set by its body parsers. */
export type FrameworkRequest = Pick<ExpressRequest, 'method' | 'headers' | 'originalUrl' | 'url'> & {
  rawBody?: Buffer;
  protocol?: string;
};

const NO_BODY = new Uint8Array(0);

/**
 * Express (functions-framework) request → the router's request (exchange.ts), without building
 * a Fetch Request: headers are read from Node's object as asked, and the body is `req.rawBody`
 * (the framework has already consumed the stream).
 */
export function fromFramework(req: FrameworkRequest): AppRequest {
  return new FrameworkAppRequest(req);
}

/** A class rather than an object of closures: a request costs one object and no new functions. */
class FrameworkAppRequest implements AppRequest {
  readonly method: string;
  /** An absolute-form target (`http://host/path`) is split by the router like any other. */
  readonly target: string;
  readonly headers: NodeHeaderReader;

  constructor(private readonly req: FrameworkRequest) {
    this.method = (req.method ?? 'GET').toUpperCase();
    this.target = req.originalUrl || req.url || '/';
    this.headers = new NodeHeaderReader(req.headers);
  }

  body(): Uint8Array {
    return this.method !== 'GET' && this.method !== 'HEAD' && this.req.rawBody ? this.req.rawBody : NO_BODY;
  }

  fetchRequest(): Request {
    return toFetchRequest(this.req);
  }
}

/**
 * Node's incoming headers (lower-case names; repeats as arrays) read like Fetch `Headers`. A class,
 * so a request costs one small object and no new function.
 */
export class NodeHeaderReader implements HeaderReader {
  constructor(private readonly incoming: IncomingHttpHeaders) {}

  get(name: string): string | null {
    const value = this.incoming[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }
}

/**
 * Writes the router's answer with one `writeHead` and one `end`; a download's stream is piped
 * (Node's pipe waits for 'drain', so a slow client slows the reads instead of filling memory).
 */
export function writeAnswer(answer: AppAnswer, res: Pick<ServerResponse, 'writeHead' | 'end'>): void {
  res.writeHead(answer.status, answer.headers);
  if (answer.body === null) res.end();
  else if (answer.body instanceof ReadableStream) pipeStream(answer.body, res as ServerResponse);
  else res.end(answer.body);
}

/** Pipes a web stream into a Node response; a failure or a client gone away destroys both ends. */
export function pipeStream(body: ReadableStream<Uint8Array>, res: ServerResponse): void {
  const source = Readable.fromWeb(body as unknown as NodeReadableStream<Uint8Array>);
  pipeline(source, res, (err) => { if (err) res.destroy(err); });
}

/**
 * Express (functions-framework) → Fetch Request with an absolute URL, for a handler that asks for
 * one. The URL goes in as a string and the headers as a list, which the Request parses once.
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

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
