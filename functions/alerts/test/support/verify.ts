import { vi } from 'vitest';
import { Webhook } from 'standardwebhooks';

/** Standard Webhooks verification as a receiver would do it at the moment `at` (the app's test clock): its tolerance is 5 minutes around "now". */
export function verifyAt(secret: string, body: string, headers: Record<string, unknown>, at: Date): unknown {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
  try {
    return new Webhook(secret).verify(body, headers as Record<string, string>);
  } finally {
    vi.useRealTimers();
  }
}
