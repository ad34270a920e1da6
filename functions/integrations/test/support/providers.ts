import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importSPKI, jwtVerify } from 'jose';
import { listen } from '../../../../shared/test/support/http.js';

/**
 * Local stand-ins for the providers' APIs on 127.0.0.1, answering the one call each check makes,
 * the way the real service answers it: OpenAI and DeepSeek (Bearer), Anthropic (x-api-key and
 * anthropic-version), Gemini (?key=), and Google's OAuth token endpoint plus BigQuery's dataset
 * list for service accounts (the JWT is verified with the account's public key), and the public
 * x509 certificates of service-account keys (their notAfter is the key's expiry).
 */

/** Certificates whose notAfter is a key's expiry (support/certs/README.md). */
export const KEY_CERTS = {
  expires_2026_04_20: readFileSync(join(import.meta.dirname, 'certs/key-expires-2026-04-20.pem'), 'utf8'),
  never: readFileSync(join(import.meta.dirname, 'certs/key-never-expires.pem'), 'utf8'),
};
export interface ProviderStandIns {
  url: string;
  /** Keys each provider accepts (mutable: a provider can re-enable a key). */
  accepted: Set<string>;
  /** Keys that authenticate but lack permission (403). */
  restricted: Set<string>;
  /** When true every endpoint answers 503 (the provider is down). */
  down: boolean;
  /** Requests seen, as "METHOD path" (never the key). */
  hits: string[];
  serviceAccount(opts?: { projectId?: string; tokenUri?: string }): { json: string; email: string };
  /** Projects whose BigQuery the service accounts may list. */
  bigQueryProjects: Set<string>;
  /** The published certificate of each service-account key id (absent: 404, as for a deleted key); default: never expires. */
  keyCerts: Map<string, string>;
  close(): Promise<void>;
  env(): Record<string, string>;
}

/** `now`: the clock Google's token endpoint checks a JWT's exp against (the app's test clock; default the real one). */
export async function startProviderStandIns(opts: { now?: () => Date } = {}): Promise<ProviderStandIns> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const tokens = new Map<string, string>(); // access token → project
  const state = {
    accepted: new Set<string>(),
    restricted: new Set<string>(),
    bigQueryProjects: new Set<string>(['good-project']),
    keyCerts: new Map<string, string>([['abcdef0123456789', KEY_CERTS.never]]),
    down: false,
    hits: [] as string[],
  };
  let base = '';

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const keyCheck = (res: ServerResponse, key: string | undefined, openAiStyle = true) => {
    if (key && state.accepted.has(key)) return send(res, 200, { data: [{ id: 'model-1' }] });
    if (key && state.restricted.has(key)) return send(res, 403, { error: { message: 'You have insufficient permissions for this operation.' } });
    if (key?.includes('malformed')) return send(res, 400, { error: { message: `The key ${key} is malformed (expected sk-...), see the docs` } });
    // Real providers echo part of a bad key back: the service must not pass it on.
    const echoed = key ? `${key.slice(0, 8)}********${key.slice(-4)}` : '';
    return send(res, 401, openAiStyle ? { error: { message: `Incorrect API key provided: ${echoed}.`, type: 'invalid_request_error' } } : { error: { message: 'invalid x-api-key' } });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    state.hits.push(`${req.method} ${url.pathname}`);
    if (state.down) return send(res, 503, { error: { message: 'overloaded' } });
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    switch (url.pathname) {
      case '/openai/v1/models':
      case '/deepseek/models':
        return keyCheck(res, bearer);
      case '/anthropic/v1/models':
        if (req.headers['anthropic-version'] !== '2023-06-01') return send(res, 400, { error: { message: 'anthropic-version header is required' } });
        return keyCheck(res, req.headers['x-api-key'] as string | undefined, false);
      case '/gemini/v1beta/models':
        if (url.searchParams.get('key') === 'AIzaRedirectMe0000000') { res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }); res.end(); return; }
        if (url.searchParams.get('key') === 'AIzaQuota000000000000') return send(res, 429, { error: { code: 429, message: 'Quota exceeded for quota metric', status: 'RESOURCE_EXHAUSTED' } });
        return keyCheck(res, url.searchParams.get('key') ?? undefined);
      case '/oauth2/token': {
        let body = '';
        for await (const c of req) body += c;
        const form = new URLSearchParams(body);
        if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return send(res, 400, { error: 'unsupported_grant_type' });
        try {
          const { payload } = await jwtVerify(form.get('assertion') ?? '', await importSPKI(publicPem, 'RS256'), { audience: `${base}/oauth2/token`, ...(opts.now ? { currentDate: opts.now() } : {}) });
          const token = `ya29.${Math.random().toString(36).slice(2)}`;
          tokens.set(token, String(payload.iss));
          return send(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 3599 });
        } catch {
          return send(res, 400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
        }
      }
      default: {
        const x = /^\/x509\/([^/]+)$/.exec(url.pathname);
        if (x) {
          const certs = Object.fromEntries(state.keyCerts);
          return Object.keys(certs).length ? send(res, 200, certs) : send(res, 404, { error: { message: 'Not found' } });
        }
        const m = /^\/bigquery\/v2\/projects\/([^/]+)\/datasets$/.exec(url.pathname);
        if (m) {
          if (!bearer || !tokens.has(bearer)) return send(res, 401, { error: { message: 'Request had invalid authentication credentials.' } });
          if (!state.bigQueryProjects.has(decodeURIComponent(m[1]!))) return send(res, 403, { error: { message: 'Access Denied: Project: User does not have bigquery.datasets.list permission' } });
          return send(res, 200, { kind: 'bigquery#datasetList', datasets: [] });
        }
        return send(res, 404, { error: { message: `no route ${url.pathname}` } });
      }
    }
  }

  const server = createServer((req, res) => void handle(req, res).catch(() => send(res, 500, {})));
  const { url, close } = await listen(server);
  base = url;
  return {
    url,
    get accepted() { return state.accepted; },
    get restricted() { return state.restricted; },
    get bigQueryProjects() { return state.bigQueryProjects; },
    get keyCerts() { return state.keyCerts; },
    get down() { return state.down; },
    set down(v: boolean) { state.down = v; },
    get hits() { return state.hits; },
    serviceAccount(opts = {}) {
      const email = `pipelines@${opts.projectId ?? 'good-project'}.iam.gserviceaccount.com`;
      const json = JSON.stringify({
        type: 'service_account', project_id: opts.projectId ?? 'good-project', private_key_id: 'abcdef0123456789',
        private_key: pem, client_email: email, client_id: '1234567890', token_uri: opts.tokenUri ?? 'https://oauth2.googleapis.com/token',
      });
      return { json, email };
    },
    close,
    env: () => ({
      OPENAI_API_BASE_URL: `${url}/openai/v1`,
      ANTHROPIC_API_BASE_URL: `${url}/anthropic/v1`,
      GEMINI_API_BASE_URL: `${url}/gemini/v1beta`,
      DEEPSEEK_API_BASE_URL: `${url}/deepseek`,
      GCP_OAUTH_TOKEN_URL: `${url}/oauth2/token`,
      GCP_BIGQUERY_API_BASE_URL: `${url}/bigquery/v2`,
      GCP_X509_CERT_BASE_URL: `${url}/x509`,
    }),
  };
}
