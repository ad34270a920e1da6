import { ProviderUnavailableError } from '../errors.js';

/**
 * One provider call with the registry's timeout and attempts. Timeouts, refused connections and
 * 5xx are retried with backoff (the whole check stays within ~10 s); after the last attempt the
 * caller gets 502 PROVIDER_UNAVAILABLE and nothing is stored. Redirects are never followed: a
 * check URL that redirects is not the provider's API. Any other answer is returned as it is.
 */
export interface ProviderHttp {
  fetch: typeof fetch;
  sleep(ms: number): Promise<void>;
}

export const realProviderHttp: ProviderHttp = {
  fetch: (input, init) => fetch(input, init),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

export interface Attempts {
  provider: string;
  timeoutMs: number;
  attempts: number;
}

const BACKOFF_MS = [250, 750, 1500, 3000];

export async function callProvider(http: ProviderHttp, a: Attempts, url: string, init: RequestInit): Promise<{ status: number; text: string }> {
  let last = '';
  for (let attempt = 1; attempt <= a.attempts; attempt++) {
    try {
      const res = await http.fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(a.timeoutMs) });
      const text = await res.text();
      if (res.status < 500) return { status: res.status, text };
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).name === 'TimeoutError' ? `no answer within ${a.timeoutMs} ms` : 'connection failed';
    }
    if (attempt < a.attempts) await http.sleep(BACKOFF_MS[attempt - 1] ?? 3000);
  }
  throw new ProviderUnavailableError(`${a.provider} could not be reached to check the credential (${last}, ${a.attempts} attempts); nothing was stored. Try again later.`, { provider: a.provider, attempts: a.attempts });
}

/** The provider's own error text from a JSON error body, scrubbed of anything that looks like the credential. */
export function providerMessage(text: string, secret: string): string {
  let message = text.slice(0, 2000);
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; error_description?: unknown; message?: unknown };
    const e = body.error;
    message = String((typeof e === 'object' && e?.message) || body.error_description || body.message || (typeof e === 'string' ? e : '') || text);
  } catch { /* not JSON: keep the text */ }
  return scrub(message, secret).slice(0, 300);
}

/**
 * Providers echo parts of a bad key back ("Incorrect API key provided: sk-proj-****abcd"). Any
 * word that starts like the secret, or contains a long piece of it, is replaced.
 */
export function scrub(text: string, secret: string): string {
  const head = secret.slice(0, 3);
  return text.split(/(\s+)/).map((word) => {
    if (!word.trim()) return word;
    if (head && word.replace(/^["'(]+/, '').startsWith(head)) return '[redacted]';
    for (let i = 0; i + 8 <= secret.length; i += 4) if (word.includes(secret.slice(i, i + 8))) return '[redacted]';
    return word;
  }).join('');
}
