import { createPrivateKey, X509Certificate } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import { ValidationError } from '../errors.js';
import { interpret, type CheckResult } from './check-api-key.js';
import { callProvider, providerMessage, type ProviderHttp } from './provider-http.js';
import type { ProviderDef, ProviderRegistry } from './registry.js';

export interface ServiceAccount {
  type: 'service_account';
  project_id: string;
  private_key_id?: string;
  private_key: string;
  client_email: string;
}

/** The largest RSA key a service account may bring (Google's own are 2048 bits). */
export const MAX_RSA_BITS = 4096;

function refuse(message: string): never {
  throw new ValidationError(message, { 'body.credential': [message] });
}

/**
 * The service-account JSON's shape, checked in order; each failure is a 422 naming it. Nothing
 * of the credential is echoed back.
 */
export function parseServiceAccount(text: string): ServiceAccount {
  let value: unknown;
  try { value = JSON.parse(text); } catch { refuse('The credential is not valid JSON'); }
  if (!value || typeof value !== 'object' || Array.isArray(value)) refuse('The credential must be a JSON object (a service-account key file)');
  const o = value as Record<string, unknown>;
  if (o.type !== 'service_account') refuse('"type" must be "service_account"');
  if (typeof o.project_id !== 'string' || !o.project_id) refuse('"project_id" is missing');
  if (typeof o.private_key !== 'string' || !o.private_key) refuse('"private_key" is missing');
  let details: { type?: string; bits?: number } = {};
  try {
    const k = createPrivateKey(o.private_key);
    details = { type: k.asymmetricKeyType, bits: k.asymmetricKeyDetails?.modulusLength };
  } catch { refuse('"private_key" is not a PEM private key'); }
  // jose signs on the event loop, synchronously: an 8192- or 16384-bit key would stall every
  // request of the instance for the length of the signature. Google issues 2048-bit keys.
  if (details.type === 'rsa' && (details.bits ?? 0) > MAX_RSA_BITS) refuse(`"private_key" is an RSA key of ${details.bits} bits; at most ${MAX_RSA_BITS} are accepted`);
  if (typeof o.client_email !== 'string' || !o.client_email.includes('@')) refuse('"client_email" is missing');
  return { type: 'service_account', project_id: o.project_id, private_key: o.private_key, client_email: o.client_email, ...(typeof o.private_key_id === 'string' ? { private_key_id: o.private_key_id } : {}) };
}

/**
 * A real OAuth2 JWT-bearer exchange (RS256, signed with jose) against the configured token URL
 * (never the JSON's own `token_uri`, so a caller cannot make this service fetch an address of
 * its choosing), then one BigQuery call in the account's project: what the pipelines need.
 */
export async function checkServiceAccount(http: ProviderHttp, def: ProviderDef, gcp: ProviderRegistry['gcp'], sa: ServiceAccount, secret: string, now: Date): Promise<CheckResult> {
  const attempts = { provider: def.display_name, timeoutMs: def.timeout_ms, attempts: def.attempts };
  const key = await importPKCS8(sa.private_key, 'RS256').catch(() => refuse('"private_key" must be an RSA private key in PKCS#8 form, as Google issues them'));
  const iat = Math.floor(now.getTime() / 1000);
  const assertion = await new SignJWT({ scope: 'https://www.googleapis.com/auth/bigquery.readonly' })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(sa.private_key_id ? { kid: sa.private_key_id } : {}) })
    .setIssuer(sa.client_email)
    .setAudience(gcp.oauthTokenUrl)
    .setIssuedAt(iat)
    .setExpirationTime(iat + 3600)
    .sign(key);
  const token = await callProvider(http, attempts, gcp.oauthTokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
  });
  if (token.status < 200 || token.status >= 300) {
    const why = providerMessage(token.text, secret);
    return { status: 'INVALID', error: `Google refused the service account's token request${why ? `: ${why}` : ''}` };
  }
  let accessToken: string;
  try { accessToken = String((JSON.parse(token.text) as { access_token?: unknown }).access_token ?? ''); } catch { accessToken = ''; }
  if (!accessToken) return { status: 'INVALID', error: 'Google answered the token request without an access token' };
  const url = `${gcp.bigQueryApiBaseUrl}/projects/${encodeURIComponent(sa.project_id)}/datasets?maxResults=1`;
  const res = await callProvider(http, attempts, url, { method: 'GET', headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } });
  const result = interpret(res, accessToken, 'service account');
  if (result.status === 'INVALID' && res.status === 403) return { status: 'INVALID', error: `The service account cannot list BigQuery datasets in project ${sa.project_id} (needs BigQuery access there)` };
  if (result.status === 'INVALID' && res.status === 404) return { status: 'INVALID', error: `Project ${sa.project_id} was not found or has no BigQuery` };
  if (result.status !== 'VALID') return result;
  return { ...result, key_expires_at: await keyExpiry(http, attempts, gcp, sa) };
}

/**
 * The key's expiry from Google's public certificate of it (no permission needed: the same
 * endpoint verifiers read): its notAfter is the key's validBeforeTime. Unknown (null) when the
 * JSON names no key id, the certificate is not published, or the call fails: the check itself
 * has already passed and stands.
 */
async function keyExpiry(http: ProviderHttp, attempts: { provider: string; timeoutMs: number; attempts: number }, gcp: ProviderRegistry['gcp'], sa: ServiceAccount): Promise<string | null> {
  if (!sa.private_key_id) return null;
  try {
    const res = await callProvider(http, { ...attempts, attempts: 1 }, `${gcp.x509CertBaseUrl}/${encodeURIComponent(sa.client_email)}`, { method: 'GET', headers: { accept: 'application/json' } });
    if (res.status !== 200) return null;
    const pem = (JSON.parse(res.text) as Record<string, unknown>)[sa.private_key_id];
    if (typeof pem !== 'string') return null;
    const notAfter = new Date(new X509Certificate(pem).validTo);
    return Number.isNaN(notAfter.getTime()) ? null : notAfter.toISOString();
  } catch {
    return null;
  }
}
