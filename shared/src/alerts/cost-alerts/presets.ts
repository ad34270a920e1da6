import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { convertAmount } from '../../budgets/budgets/actuals.js';
import { formatAmount } from '../../i18n/index.js';
import { alertScope } from '../scope.js';
import type { ChannelType } from '../channels/fields.js';
import type { Severity } from './model.js';
import { createCostAlert } from './verbs.js';

/** The original's presets, whose amounts were US dollars; answered in the org's currency. */
const PRESETS: readonly { id: string; label: string; scope: string; usd: number; severity: Severity; channels: ChannelType[]; cooldown_hours?: number; what: string }[] = [
  { id: 'cloud_1000', label: 'Cloud Cost Threshold', scope: 'cloud', usd: 1000, severity: 'warning', channels: ['email'], what: 'monthly cloud costs' },
  { id: 'cloud_5000_critical', label: 'Critical Cloud Spend', scope: 'cloud', usd: 5000, severity: 'critical', channels: ['email', 'slack'], cooldown_hours: 12, what: 'monthly cloud costs' },
  { id: 'genai_500', label: 'GenAI Cost Threshold', scope: 'genai', usd: 500, severity: 'warning', channels: ['email'], what: 'monthly GenAI costs' },
  { id: 'openai_200', label: 'OpenAI Cost Threshold', scope: 'openai', usd: 200, severity: 'warning', channels: ['email'], what: 'monthly OpenAI costs' },
  { id: 'total_2500', label: 'Total Monthly Cost', scope: 'all', usd: 2500, severity: 'warning', channels: ['email'], what: 'total monthly costs' },
];

/** Two significant figures: a preset reads as a round amount in any currency (US$1,000 → ₹83,000). */
const round2 = (v: number) => { const p = 10 ** Math.max(0, Math.floor(Math.log10(v)) - 1); return Math.round(v / p) * p; };

export async function costAlertPresets(ctx: Ctx, input: { orgSlug: string }) {
  const scope = await alertScope(ctx, input.orgSlug);
  const currency = scope.profile.default_currency;
  const presets = await Promise.all(PRESETS.map(async (p) => {
    const converted = await convertAmount(ctx, p.usd, 'USD', currency, scope.today);
    const value = converted.value === null ? p.usd : round2(converted.value);
    const shown = formatAmount(value, converted.value === null ? 'USD' : currency);
    return {
      id: p.id, name: `${p.label} (${shown})`, scope: p.scope, threshold_value: value, threshold_currency: converted.value === null ? 'USD' : currency,
      period: 'current_month' as const, severity: p.severity, channels: p.channels, cooldown_hours: p.cooldown_hours ?? 1, description: `Alert when ${p.what} exceed ${shown}`,
    };
  }));
  return { presets, currency };
}

export async function createFromPreset(ctx: Ctx, input: { orgSlug: string; presetId: string; name_override?: string; threshold_override?: number }) {
  const { presets } = await costAlertPresets(ctx, input);
  const p = presets.find((x) => x.id === input.presetId);
  if (!p) throw new NotFoundError(`No preset ${input.presetId} (presets: ${presets.map((x) => x.id).join(', ')})`, { preset_id: input.presetId });
  return createCostAlert(ctx, {
    orgSlug: input.orgSlug, name: input.name_override ?? p.name, description: p.description, scope: p.scope, threshold_value: input.threshold_override ?? p.threshold_value,
    threshold_currency: p.threshold_currency, period: p.period, severity: p.severity, channels: p.channels, cooldown_hours: p.cooldown_hours,
  });
}
