import type { OutboundPolicy } from '../outbound/address.js';
import { OutboundRefusedError } from '../outbound/errors.js';
import { checkTargetUrl, send, type OutboundRequest } from '../outbound/http.js';
import type { Attempt } from './message.js';

/** One guarded HTTP delivery as an Attempt: 2xx delivered, 5xx and network failures retryable, refusals never. */
export async function httpAttempt(policy: OutboundPolicy, rawUrl: string, req: OutboundRequest): Promise<Attempt> {
  try {
    const url = checkTargetUrl(rawUrl, policy);
    const answer = await send(url, req, policy);
    const response = answer.text.slice(0, 500);
    if (answer.status >= 200 && answer.status < 300) return { ok: true, status: answer.status, response, error: null, retryable: false };
    return { ok: false, status: answer.status, response, error: `the receiver answered HTTP ${answer.status}`, retryable: answer.status >= 500 || answer.status === 429 };
  } catch (err) {
    if (err instanceof OutboundRefusedError) return { ok: false, status: null, response: null, error: err.message, retryable: false };
    // Nested: node's socket errors may wrap the lookup's refusal.
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof OutboundRefusedError) return { ok: false, status: null, response: null, error: cause.message, retryable: false };
    return { ok: false, status: null, response: null, error: (err as Error).message?.slice(0, 300) ?? 'connection failed', retryable: true };
  }
}
