import pl from 'nodejs-polars';
import { addDays, startOfLocalDay } from '../../i18n/dates.js';
import { prng } from '../../costs/seed/dims.js';

/**
 * The anomaly benchmark's (functions/alerts/bench/anomaly-bench.ts) enterprise-like ledger (deterministic): 12 large series (GCP, AWS
 * billed in EUR, OpenAI and Anthropic models; two SKUs each) and a tail of 20 small services,
 * hourly rows in the org's local hours (so the DST day really has 23), weekday/weekend
 * patterns, growth and noise; plus the known non-anomalies (monthly support fee, committed-use
 * purchase and tax spanning each month, daily credits, SaaS seats with a renewal at more seats,
 * an annual SaaS renewal and a one-off purchase) and the injected anomalies (`EVENTS`).
 */
export interface SeriesSpec { provider: string; service: string; model?: string; category: 'cloud' | 'llm'; currency: string; base: number; weekend: number; noise: number }

export const SERIES: SeriesSpec[] = [
  { provider: 'Google Cloud', service: 'Compute Engine', category: 'cloud', currency: 'USD', base: 20_000, weekend: 0.6, noise: 0.04 },
  { provider: 'Google Cloud', service: 'Kubernetes Engine', category: 'cloud', currency: 'USD', base: 6_000, weekend: 0.8, noise: 0.04 },
  { provider: 'Google Cloud', service: 'BigQuery', category: 'cloud', currency: 'USD', base: 4_000, weekend: 0.3, noise: 0.08 },
  { provider: 'Google Cloud', service: 'Cloud SQL', category: 'cloud', currency: 'USD', base: 2_000, weekend: 1, noise: 0.03 },
  { provider: 'Google Cloud', service: 'Cloud Storage', category: 'cloud', currency: 'USD', base: 3_000, weekend: 1, noise: 0.03 },
  { provider: 'Google Cloud', service: 'Networking', category: 'cloud', currency: 'USD', base: 1_500, weekend: 0.7, noise: 0.06 },
  { provider: 'Google Cloud', service: 'Vertex AI', category: 'cloud', currency: 'USD', base: 1_000, weekend: 0.5, noise: 0.1 },
  { provider: 'AWS', service: 'Amazon EC2', category: 'cloud', currency: 'EUR', base: 8_000, weekend: 0.7, noise: 0.04 },
  { provider: 'AWS', service: 'Amazon S3', category: 'cloud', currency: 'EUR', base: 1_200, weekend: 1, noise: 0.04 },
  { provider: 'OpenAI', service: 'OpenAI API', model: 'gpt-4o', category: 'llm', currency: 'USD', base: 2_000, weekend: 0.5, noise: 0.08 },
  { provider: 'OpenAI', service: 'OpenAI API', model: 'gpt-4o-mini', category: 'llm', currency: 'USD', base: 1_500, weekend: 0.5, noise: 0.08 },
  { provider: 'Anthropic', service: 'Claude API', model: 'claude-sonnet-4', category: 'llm', currency: 'USD', base: 1_000, weekend: 0.5, noise: 0.1 },
  ...Array.from({ length: 20 }, (_, i): SeriesSpec => ({ provider: 'Google Cloud', service: `Cloud Service ${String(i).padStart(2, '0')}`, category: 'cloud', currency: 'USD', base: 50 + i * 25, weekend: 0.8, noise: 0.2 })),
];

/** An injected anomaly: the series, its days and what it does to them (a factor on the series, or on one SKU). */
export interface Injected { id: string; kind: string; key: string; from: string; to: string; direction: 'up' | 'down' }
const key = (s: Pick<SeriesSpec, 'provider' | 'service' | 'model'>) => `${s.provider}|${s.service}|${s.model ?? ''}`;

export const EVAL = { from: '2026-02-09', to: '2026-03-22' } as const;
export const HISTORY_FROM = '2025-12-01';

/** Day factors of the injections, per series key (and SKU 'B' for the SKU-level spike). */
function injection(k: string, sku: 'A' | 'B', day: string): number {
  if (k === 'Google Cloud|Compute Engine|' && sku === 'B' && day === '2026-02-18') return 1 + 0.45 / 0.35; // +45 % of the series, all on SKU B
  if (k === 'Google Cloud|BigQuery|' && day === '2026-02-28') return 4; // a Saturday
  if (k === 'Google Cloud|Kubernetes Engine|' && day >= '2026-03-10') return 1.6; // level shift, to the end
  if (k === 'OpenAI|OpenAI API|gpt-4o-mini' && day >= '2026-02-24' && day <= '2026-02-28') return 1.7 ** (1 + Math.round((Date.parse(day) - Date.parse('2026-02-24')) / 86_400_000)); // runaway model
  if (k === 'AWS|Amazon EC2|' && day === '2026-03-04') return 1.6;
  if (k === 'Google Cloud|Cloud SQL|' && day >= '2026-03-17' && day <= '2026-03-18') return 0.1; // an outage: spend drops
  if (k === 'Google Cloud|Cloud Storage|' && day === '2026-02-12') return 2;
  if (k === 'Google Cloud|Vertex AI|' && day === '2026-03-03') return 2.5;
  if (k === 'Google Cloud|Networking|' && day === '2026-03-13') return 3;
  return 1;
}
export const NEW_MODEL = { provider: 'Anthropic', service: 'Claude API', model: 'claude-opus-4', from: '2026-03-19', daily: 1_500 } as const;

export const EVENTS: Injected[] = [
  { id: 'spike-sku', kind: 'spike (one SKU)', key: 'Google Cloud|Compute Engine|', from: '2026-02-18', to: '2026-02-18', direction: 'up' },
  { id: 'weekend-spike', kind: 'spike (on a Saturday)', key: 'Google Cloud|BigQuery|', from: '2026-02-28', to: '2026-02-28', direction: 'up' },
  { id: 'level-shift', kind: 'level shift', key: 'Google Cloud|Kubernetes Engine|', from: '2026-03-10', to: EVAL.to, direction: 'up' },
  { id: 'runaway-model', kind: 'runaway model', key: 'OpenAI|OpenAI API|gpt-4o-mini', from: '2026-02-24', to: '2026-02-28', direction: 'up' },
  { id: 'spike-eur', kind: 'spike (EUR-billed)', key: 'AWS|Amazon EC2|', from: '2026-03-04', to: '2026-03-04', direction: 'up' },
  { id: 'drop', kind: 'drop (outage)', key: 'Google Cloud|Cloud SQL|', from: '2026-03-17', to: '2026-03-18', direction: 'down' },
  { id: 'spike-storage', kind: 'spike', key: 'Google Cloud|Cloud Storage|', from: '2026-02-12', to: '2026-02-12', direction: 'up' },
  { id: 'spike-noisy', kind: 'spike (noisy series)', key: 'Google Cloud|Vertex AI|', from: '2026-03-03', to: '2026-03-03', direction: 'up' },
  { id: 'spike-network', kind: 'spike', key: 'Google Cloud|Networking|', from: '2026-03-13', to: '2026-03-13', direction: 'up' },
  { id: 'new-model', kind: 'new model (no history)', key: `${NEW_MODEL.provider}|${NEW_MODEL.service}|${NEW_MODEL.model}`, from: NEW_MODEL.from, to: EVAL.to, direction: 'up' },
];

/** The known non-anomalies: days whose totals move for reasons that are not anomalies. */
export const KNOWN = { dst: '2026-03-08', monthStart: '2026-03-01', saasRenewal: '2026-03-05', annualRenewal: '2026-02-20', purchase: '2026-03-12' } as const;

export function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}
export const isWeekend = (d: string) => { const w = new Date(`${d}T00:00:00Z`).getUTCDay(); return w === 0 || w === 6; };

interface Row { start: number; end: number; cost: number; currency: string; provider: string; service: string; sku: string; model: string | null; category: string; charge: string; frequency: string }

/** The whole ledger as one Polars frame of FOCUS columns (loadColumnar). */
export function benchLedger(timeZone: string, now: Date, seed = 20): { frame: pl.DataFrame; rows: number } {
  const rand = prng(seed);
  const gauss = () => { const u = Math.max(rand(), 1e-12); return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand()); };
  const rows: Row[] = [];
  const hoursOf = (day: string) => { const s = startOfLocalDay(day, timeZone).getTime(); return { s, n: Math.round((startOfLocalDay(addDays(day, 1), timeZone).getTime() - s) / 3_600_000) }; };
  const all = days(HISTORY_FROM, EVAL.to);
  const t0 = Date.parse(HISTORY_FROM);
  const hourly = (day: string, daily: number, r: Omit<Row, 'start' | 'end' | 'cost'>) => {
    // Usage accrues by the hour: a 23-hour day (DST) holds 23 hours of it.
    const { s, n } = hoursOf(day);
    for (let h = 0; h < n; h++) rows.push({ ...r, start: s + h * 3_600_000, end: s + (h + 1) * 3_600_000, cost: daily / 24 });
  };
  for (const spec of SERIES) {
    const k = key(spec);
    const big = spec.base >= 1000;
    for (const day of all) {
      const growth = 1 + 0.03 * ((Date.parse(day) - t0) / (30 * 86_400_000));
      const level = spec.base * growth * (isWeekend(day) ? spec.weekend : 1) * Math.max(0.2, 1 + spec.noise * gauss());
      const parts: [string, number][] = big ? [['A', 0.65], ['B', 0.35]] : [['A', 1]];
      for (const [sku, share] of parts) {
        const daily = level * share * injection(k, sku as 'A' | 'B', day);
        hourly(day, daily, { currency: spec.currency, provider: spec.provider, service: spec.service, sku: spec.model ? `${spec.model}-${sku === 'A' ? 'input' : 'output'}` : `${spec.service.replace(/\W+/g, '')}-SKU-${sku}`, model: spec.model ?? null, category: spec.category, charge: 'Usage', frequency: 'Usage-Based' });
      }
    }
  }
  for (const day of days(NEW_MODEL.from, EVAL.to)) {
    hourly(day, NEW_MODEL.daily * Math.max(0.2, 1 + 0.08 * gauss()), { currency: 'USD', provider: NEW_MODEL.provider, service: NEW_MODEL.service, sku: `${NEW_MODEL.model}-input`, model: NEW_MODEL.model, category: 'llm', charge: 'Usage', frequency: 'Usage-Based' });
  }
  const account = (start: number, end: number, cost: number, service: string, sku: string, charge: string, frequency: string, category = 'cloud', provider = 'Google Cloud') =>
    rows.push({ start, end, cost, currency: 'USD', provider, service, sku, model: null, category, charge, frequency });
  for (const day of all) {
    const s = startOfLocalDay(day, timeZone).getTime();
    const e = startOfLocalDay(addDays(day, 1), timeZone).getTime();
    account(s, e, -400, 'Compute Engine', 'SUD-CREDIT', 'Credit', 'Usage-Based');
    // SaaS seats as the daily SaaS job writes them: 2,000 seats at 25 a month, 3,000 from the renewal (+50 %, above the impact floor).
    account(s, e, (day >= KNOWN.saasRenewal ? 3000 : 2000) * 25 / 30, 'Slack Enterprise', 'ENTERPRISE', 'Purchase', 'Recurring', 'saas', 'Slack');
    if (day.endsWith('-01')) {
      // A month's support fee (usage, recurring), committed-use purchase and tax: rows spanning the month (the reduction spreads them).
      const next = startOfLocalDay(addDays(`${day.slice(0, 7)}-28`, 7).slice(0, 7) + '-01', timeZone).getTime();
      account(s, next, 30_000, 'Support', 'SUPPORT-ENTERPRISE', 'Usage', 'Recurring');
      account(s, next, 90_000, 'Compute Engine', 'CUD-3Y', 'Purchase', 'Recurring');
      account(s, next, 18_000, 'Tax', 'TAX', 'Tax', 'Recurring');
    }
  }
  // An annual SaaS renewal invoiced on its day, and a one-off purchase of reserved capacity.
  const at = (day: string, hour: number) => startOfLocalDay(day, timeZone).getTime() + hour * 3_600_000;
  account(at(KNOWN.annualRenewal, 9), at(KNOWN.annualRenewal, 10), 180_000, 'Figma Organization', 'ORG-ANNUAL', 'Purchase', 'One-Time', 'saas', 'Figma');
  account(at(KNOWN.purchase, 9), at(KNOWN.purchase, 10), 250_000, 'Compute Engine', 'RESERVATION-1Y', 'Purchase', 'One-Time');
  const col = <T>(f: (r: Row) => T) => rows.map(f);
  const frame = pl.DataFrame({
    ChargePeriodStart: col((r) => r.start), ChargePeriodEnd: col((r) => r.end),
    BilledCost: col((r) => r.cost.toFixed(6)), BillingCurrency: col((r) => r.currency), ProviderName: col((r) => r.provider), ServiceName: col((r) => r.service),
    SkuId: col((r) => r.sku), x_Model: col((r) => r.model), x_CostCategory: col((r) => r.category), ChargeCategory: col((r) => r.charge), ChargeFrequency: col((r) => r.frequency),
    x_SourceRecordId: rows.map((_, i) => `bench-${i}`),
  }).withColumns(
    pl.col('ChargePeriodStart').cast(pl.Int64).cast(pl.Datetime('ms')), pl.col('ChargePeriodEnd').cast(pl.Int64).cast(pl.Datetime('ms')),
    pl.col('BilledCost').cast(pl.Decimal(38, 9)), pl.col('x_Model').cast(pl.Utf8),
    pl.lit('bench').alias('x_SourceSystem'), pl.lit(now.getTime()).cast(pl.Int64).cast(pl.Datetime('ms')).alias('x_UpdatedAt'),
  ).withColumns(pl.col('BilledCost').alias('EffectiveCost'), pl.col('BilledCost').alias('ListCost'));
  return { frame, rows: rows.length };
}
