import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CheckRequest, Rejection, ZetaSqlAnalyzer } from './zetasql-service.js';

/**
 * The HTTP front: POST /analyze with a CheckRequest answers an AnalyzeOutcome; POST /reject
 * records a rejection found without the analyzer (a table spec, unsendable parameters); POST
 * /claim hands a worker the rejections of the processes it spawned.
 * It listens at once and waits for the analyzer per request, so the ~1 s the server binary takes
 * to start overlaps with the workers' own start; if it never starts, every request answers 500
 * with the reason, and every test that sends a statement fails with it.
 */
export async function serveAnalyzer(starting: Promise<ZetaSqlAnalyzer>): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || !['/analyze', '/reject', '/claim'].includes(req.url ?? '')) {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        try {
          const analyzer = await starting;
          const text = Buffer.concat(chunks).toString('utf8');
          if (req.url === '/claim') {
            const { parent } = JSON.parse(text) as { parent: string };
            res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(analyzer.claim(parent)));
            return;
          }
          if (req.url === '/reject') {
            analyzer.recordRejection(JSON.parse(text) as Rejection);
            res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
            return;
          }
          const body = JSON.parse(text) as CheckRequest;
          const source = body.origin.split(' > ')[0]!;
          analyzer.bySource.set(source, (analyzer.bySource.get(source) ?? 0) + 1);
          const outcome = await analyzer.analyze(body.input);
          analyzer.record(body, outcome);
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(outcome));
        } catch (err) {
          res.writeHead(500, { 'content-type': 'text/plain' }).end(err instanceof Error ? err.message : String(err));
        }
      })();
    });
  });
  // Workers keep connections alive across statements; a keep-alive socket must not hold up teardown.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server };
}
