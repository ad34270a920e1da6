import type { Transporter } from 'nodemailer';
import { lazy } from '../../lazy.js';
import type { Channel } from '../channels/fields.js';
import type { AlertMessage, Attempt } from './message.js';

/** nodemailer (~420 KB bundled) loads with the first e-mail, not at every cold start of the alerts function. */
const mailer = lazy(async () => (await import('nodemailer')).default);

const transports = new Map<string, Transporter>();
/** One pooled-less transport per SMTP URL (config, never a tenant's input). */
async function transport(url: string): Promise<Transporter> {
  let t = transports.get(url);
  if (!t) {
    t = (await mailer()).createTransport(url, { connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 10_000 });
    transports.set(url, t);
  }
  return t;
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export async function sendEmail(smtp: { url?: string; from: string }, channel: Channel, msg: AlertMessage): Promise<Attempt> {
  if (!smtp.url) return { ok: false, status: null, response: null, error: 'no SMTP server is configured (SMTP_URL)', retryable: false };
  const subject = `${channel.email_subject_prefix ?? '[CloudAct]'} ${msg.title}`;
  try {
    const info = await (await transport(smtp.url)).sendMail({
      from: smtp.from, to: channel.email_recipients, ...(channel.email_cc_recipients.length ? { cc: channel.email_cc_recipients } : {}), subject,
      text: `${msg.text}\n\nPriority: ${msg.priority}\nOrganization: ${msg.org_slug}\nEvent: ${msg.event_id}\n`,
      html: `<h2>${escape(msg.title)}</h2><pre style="font-family:inherit">${escape(msg.text)}</pre><p>Priority: ${escape(msg.priority)} · Organization: ${escape(msg.org_slug)} · Event: ${escape(msg.event_id)}</p>`,
      headers: { 'X-CloudAct-Event-Id': msg.event_id },
    });
    const code = Number(/^(\d{3})/.exec(String(info.response))?.[1] ?? 250);
    const rejected = (info.rejected as unknown[]).map(String);
    if (rejected.length) return { ok: false, status: code, response: String(info.response).slice(0, 500), error: `the SMTP server refused ${rejected.join(', ')}`, retryable: false };
    return { ok: true, status: code, response: String(info.response).slice(0, 500), error: null, retryable: false };
  } catch (err) {
    const e = err as { responseCode?: number; message?: string; code?: string };
    const code = e.responseCode ?? null;
    return { ok: false, status: code, response: null, error: `SMTP: ${(e.message ?? String(err)).slice(0, 300)}`, retryable: code === null || code >= 400 && code < 500 };
  }
}
