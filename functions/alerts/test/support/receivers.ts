import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on loopback that keeps every message it accepts (no TLS, no auth: a local receiver). */
export async function smtpReceiver() {
  const mails: (ParsedMail & { envelopeTo: string[] })[] = [];
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then((m) => {
        mails.push(Object.assign(m, { envelopeTo: session.envelope.rcptTo.map((r) => r.address) }));
        callback();
      }, callback);
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return { mails, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export interface Received { method: string; path: string; headers: IncomingHttpHeaders; body: string }

/** An HTTP receiver on loopback; `answer` decides each reply (default 200 "ok", as Slack answers). */
export async function httpReceiver(answer: (r: Received, n: number) => { status: number; body?: string; headers?: Record<string, string> } = () => ({ status: 200, body: 'ok' })) {
  const got: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      got.push(r);
      const a = answer(r, got.length);
      res.writeHead(a.status, { 'content-type': 'text/plain', ...a.headers });
      res.end(a.body ?? '');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return { got, url: (path = '/hook') => `http://127.0.0.1:${port}${path}`, port, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}
