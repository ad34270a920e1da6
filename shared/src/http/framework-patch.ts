import { createRequire } from 'node:module';

/**
 * functions-framework parses bodies with body-parser before our handler runs, and answers a
 * malformed JSON body (or an unsupported charset) itself with an HTML 400. That would break
 * the promise that every error is our JSON envelope, so its parsers are wrapped here: a
 * parse failure is let through with the raw bytes kept in `req.rawBody`, and our router
 * then answers 422 in the envelope. Must run before the framework builds its server, which it
 * does after loading the function module: importing this module from the entry point is enough.
 */
type Middleware = (req: { rawBody?: Buffer }, res: unknown, next: (err?: unknown) => void) => void;
type Factory = (options?: unknown) => Middleware;

let patched = false;

export function letBodyParseErrorsThrough(): void {
  if (patched) return;
  patched = true;
  const frameworkRequire = createRequire(createRequire(import.meta.url).resolve('@google-cloud/functions-framework'));
  const bodyParser = frameworkRequire('body-parser') as Record<string, Factory>;
  for (const name of ['json', 'text', 'urlencoded', 'raw']) {
    const original = bodyParser[name];
    if (typeof original !== 'function') continue;
    bodyParser[name] = (options?: unknown) => {
      const middleware = original(options);
      return (req, res, next) => {
        // A request without a body (every GET, most probes) has nothing to parse: skip the
        // parser's own checks, four times per request (the router reads req.rawBody, unset here).
        if (!carriesBody(req as BodyHeaders)) return next();
        return middleware(req, res, (err?: unknown) => {
          if (!err) return next();
          const e = err as { type?: string; body?: unknown };
          if (typeof e.body === 'string' && req.rawBody === undefined) req.rawBody = Buffer.from(e.body);
          // Keep a marker body so the router's JSON parse fails with a 422 rather than seeing `{}`.
          if (req.rawBody === undefined) req.rawBody = Buffer.from(`\u0000unreadable body: ${e.type ?? 'unknown'}`);
          next();
        });
      };
    };
  }
}

type BodyHeaders = { headers?: Record<string, string | string[] | undefined> };

/** What body-parser (type-is hasBody) counts as a body: Transfer-Encoding, or a Content-Length (even 0). */
function carriesBody(req: BodyHeaders): boolean {
  const h = req.headers;
  return h === undefined || h['transfer-encoding'] !== undefined || h['content-length'] !== undefined;
}
