import type { Ctx } from '../../context/index.js';
import { lastChargeByProvider } from '../../costs/ledger/store.js';
import type { Conditions, Rule } from '../rules/fields.js';
import type { AlertScope } from '../scope.js';
import type { Candidate, Evaluation } from './candidate.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * A provider whose latest ledger row (its ChargePeriodEnd) is older than max_hours_since_update
 * fires once per staleness episode: the key is the provider × that latest row's end, so new rows
 * end the episode and a later silence is a new one. One grouped query bounded by lookback_days.
 */
export async function evaluateFreshness(ctx: Ctx, scope: AlertScope, rule: Rule): Promise<Evaluation> {
  const c = rule.conditions as Conditions<'data_freshness'>;
  const now = ctx.clock();
  const filter = c.provider ? [c.provider] : rule.provider_filter.length ? rule.provider_filter : undefined;
  const last = await lastChargeByProvider(ctx.warehouse, scope.profile.org_dataset_id, new Date(now.getTime() - c.lookback_days * DAY), filter);
  const candidates: Candidate[] = [];
  for (const p of last) {
    const hours = (now.getTime() - p.last_at.getTime()) / HOUR;
    if (hours <= c.max_hours_since_update) continue;
    const at = p.last_at.toISOString();
    candidates.push({
      dedupe_key: `${rule.rule_id}|stale:${p.provider}|${at}`,
      reason: `${p.provider} has no ledger rows after ${at} (${Math.floor(hours)} h, over ${c.max_hours_since_update} h)`,
      title: `${rule.name}: ${p.provider} cost data is ${Math.floor(hours)} hours old`,
      text: `No ${p.provider} cost rows have arrived since ${at} (${Math.floor(hours)} hours; the rule allows ${c.max_hours_since_update}). Check its pipeline and credential.`,
      data: { provider: p.provider, last_charge_end: at, hours_since_update: Math.floor(hours), max_hours_since_update: c.max_hours_since_update },
    });
  }
  return { candidates, observed: { providers: last.map((p) => ({ provider: p.provider, last_charge_end: p.last_at.toISOString() })) } };
}
