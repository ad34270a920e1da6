import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { refusedAddress, type OutboundPolicy } from './address.js';
import { OutboundRefusedError } from './errors.js';

export interface OutboundRequest {
  method: 'POST' | 'PUT';
  headers: Record<string, string>;
  body: string;
}

export interface OutboundAnswer {
  status: number;
  /** The receiver's answer, at most `maxResponseBytes` of it. */
  text: string;
  truncated: boolean;
}

export const OUTBOUND_LIMITS = {
  /** Connecting and every wait for bytes. */
  timeoutMs: 5_000,
  /** The whole exchange. */
  totalMs: 10_000,
  maxResponseBytes: 64 * 1024,
};

/**
 * Checks a tenant-given URL before anything is sent: a URL, https unless in development, no
 * credentials in it, and a literal address host must be one the policy lets us reach. (Names are
 * checked when they are resolved, at connect time: see `send`.)
 */
export function checkTargetUrl(raw: string, policy: OutboundPolicy): URL {
  if (!URL.canParse(raw)) throw new OutboundRefusedError('not a URL');
  const url = new URL(raw);
  const allowed = policy.environment === 'development' ? ['https:', 'http:'] : ['https:'];
  if (!allowed.includes(url.protocol)) throw new OutboundRefusedError(`${url.protocol.replace(':', '')} URLs are refused${policy.environment === 'development' ? '' : ' (https only)'}`);
  if (url.username || url.password) throw new OutboundRefusedError('URLs carrying credentials are refused');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    const why = refusedAddress(host, policy);
    if (why) throw new OutboundRefusedError(`refused: ${why}`);
  } else if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal')) {
    // Resolved below like any name; named here so the refusal reads plainly without DNS.
    if (!(policy.allowLoopback && policy.environment === 'development' && (host === 'localhost' || host.endsWith('.localhost')))) throw new OutboundRefusedError(`refused: ${host} is not a public host`);
  }
  return url;
}

/**
 * Resolves the name and refuses it when ANY of its addresses may not be reached; the socket
 * then connects to the vetted address itself, so a second answer of the DNS (rebinding) is
 * never used.
 */
function guardedLookup(policy: OutboundPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      for (const a of addresses) {
        const why = refusedAddress(a.address, policy);
        if (why) return callback(new OutboundRefusedError(`refused: ${hostname} resolves to ${why}`), '', 0);
      }
      if (!addresses.length) return callback(new Error(`${hostname} has no address`), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/**
 * One outbound request to a checked URL: redirects are never followed (a 3xx is answered as a
 * refusal: the receiver is this URL or nothing), the connection and the whole exchange have
 * timeouts, and at most maxResponseBytes of the answer are read.
 */
export async function send(url: URL, req: OutboundRequest, policy: OutboundPolicy, limits = OUTBOUND_LIMITS): Promise<OutboundAnswer> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const answer = await new Promise<OutboundAnswer>((resolve, reject) => {
    const r = request(url, {
      method: req.method,
      headers: { ...req.headers, 'content-length': Buffer.byteLength(req.body) },
      lookup: guardedLookup(policy),
      timeout: limits.timeoutMs,
      // No pooled sockets: each delivery resolves and vets its address again.
      agent: false,
    }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      res.on('data', (chunk: Buffer) => {
        if (truncated) return;
        const room = limits.maxResponseBytes - size;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          size += room;
          truncated = true;
          res.destroy();
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), truncated });
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), truncated }));
      res.on('error', reject);
    });
    const total = setTimeout(() => r.destroy(new Error(`no complete answer within ${limits.totalMs} ms`)), limits.totalMs);
    r.on('timeout', () => r.destroy(new Error(`no answer within ${limits.timeoutMs} ms`)));
    r.on('error', (e) => { clearTimeout(total); reject(e); });
    r.on('close', () => clearTimeout(total));
    r.end(req.body);
  });
  if (answer.status >= 300 && answer.status < 400) throw new OutboundRefusedError(`the receiver answered a redirect (HTTP ${answer.status}); redirects are not followed`);
  return answer;
}
