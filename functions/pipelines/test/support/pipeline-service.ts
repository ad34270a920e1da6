import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A stand-in for the pipeline service's run endpoint: records each call and answers a new run id. */
export async function startPipelineServiceStandIn() {
  const calls: { method: string; url: string; key: string | undefined; body: string }[] = [];
  let n = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      calls.push({ method: req.method!, url: req.url!, key: req.headers['x-api-key'] as string | undefined, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ pipeline_logging_id: `standin-run-${++n}`, status: 'PENDING' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, calls, env: () => ({ PIPELINE_SERVICE_BASE_URL: url }), close: () => new Promise<void>((r) => server.close(() => r())) };
}
