import type { Ctx } from '../../context/index.js';
import { activeByProvider } from '../../integrations/credentials/store.js';
import type { Conditions, Rule } from '../rules/fields.js';
import type { AlertScope } from '../scope.js';
import type { Candidate, Evaluation } from './candidate.js';

const DAY = 86_400_000;

/**
 * Active credentials whose service-account key has a known expiry (recorded at each validation
 * from Google's public certificate of the key). A key fires for the tightest expiry_warning_days
 * value it is within, once per credential × expiry × value (a key rotated to a new expiry starts
 * again); an expired key fires as 0. Keys that never expire (9999-12-31) never come near.
 */
export async function evaluateExpiry(ctx: Ctx, scope: AlertScope, rule: Rule): Promise<Evaluation> {
  const c = rule.conditions as Conditions<'credential_expiry'>;
  const now = ctx.clock().getTime();
  const creds = [...(await activeByProvider(ctx.warehouse, scope.tenant)).values()].filter((r) => r.key_expires_at !== null && (!c.provider || r.provider === c.provider));
  const offsets = [...new Set(c.expiry_warning_days)].sort((x, y) => x - y);
  const candidates: Candidate[] = [];
  const observed: Record<string, unknown>[] = [];
  for (const r of creds) {
    const expires = Date.parse(r.key_expires_at!);
    const daysLeft = Math.floor((expires - now) / DAY);
    observed.push({ provider: r.provider, credential_id: r.credential_id, key_expires_at: r.key_expires_at, days_left: daysLeft });
    const offset = expires <= now ? 0 : offsets.find((d) => daysLeft <= d);
    if (offset === undefined) continue;
    const when = expires <= now ? 'has expired' : daysLeft === 0 ? 'expires within a day' : `expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'}`;
    candidates.push({
      dedupe_key: `${rule.rule_id}|expiry:${r.credential_id}|${r.key_expires_at}|${offset}`,
      reason: `the ${r.provider} service-account key ${when} (${r.key_expires_at})`,
      title: `${rule.name}: the ${r.provider} key ${when}`,
      text: `The ${r.provider} credential${r.credential_name ? ` "${r.credential_name}"` : ''} uses a service-account key that ${when}: it is valid until ${r.key_expires_at}. Create a new key and set the integration up with it before then, or its pipelines will fail.`,
      data: { provider: r.provider, credential_id: r.credential_id, key_expires_at: r.key_expires_at, expiry_warning_days: offset, days_left: daysLeft },
    });
  }
  return { candidates, observed: { credentials: observed } };
}
