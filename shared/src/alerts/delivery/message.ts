/** One notification, whatever carries it: the same words for e-mail, Slack and a webhook's JSON. */
export interface AlertMessage {
  notification_type: 'alert' | 'test' | 'summary';
  /** Stable per firing (the firing id): a webhook receiver de-duplicates on it (webhook-id). */
  event_id: string;
  event_type: 'alert.triggered' | 'channel.test' | 'summary.sent';
  org_slug: string;
  title: string;
  /** Plain text, a few lines. */
  text: string;
  priority: string;
  occurred_at: string;
  rule_id?: string | null;
  firing_id?: string | null;
  /** A digest's send (notification_type summary). */
  summary_id?: string | null;
  data: Record<string, unknown>;
}

/** The outcome of one attempt at one channel. */
export interface Attempt {
  ok: boolean;
  /** HTTP status, or the SMTP reply code. */
  status: number | null;
  response: string | null;
  error: string | null;
  /** Worth another attempt (a timeout, a 5xx, a refused connection), never a refusal for safety or a 4xx. */
  retryable: boolean;
}
