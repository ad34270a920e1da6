import { z } from 'zod';
import { BACKTEST_HORIZONS } from './backtest.js';
import { MODEL } from './model.js';

/** The response shape of a forecast's explanation, shared by every route that answers one. */
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const ForecastBacktestZ = z.strictObject({
  mape_percent: z.number().nullable().describe(`Mean absolute percentage error of month-end forecasts made ${BACKTEST_HORIZONS.join(', ')} days before month end over the last 3 complete months (null: no history to test)`),
  run_rate_mape_percent: z.number().nullable().describe('The naive run rate\'s (month to date / days elapsed × days in month) on the same forecasts'),
  interval_coverage_percent: z.number().nullable().describe('Share of those month-end outcomes inside the 80 % interval'),
  months: z.array(z.string()),
  horizons_days: z.array(z.number().int()),
  points: z.array(z.strictObject({ month: z.string(), days_before: z.number().int(), as_of: Day, actual: z.number(), forecast: z.number(), lower: z.number(), upper: z.number(), run_rate: z.number() })),
});

export const ForecastDetailsZ = z.strictObject({
  as_of: Day.describe('The org\'s local today: days before it are complete'),
  training_window: z.strictObject({ start: Day, end: Day, days: z.number().int() }).describe(`The last ${MODEL.windowDays} complete local days each usage series is fitted on`),
  interval: z.strictObject({ level: z.literal(0.8), lower: z.number(), upper: z.number() }).describe('80 % interval of the period total'),
  actual_to_date: z.number(),
  known_future: z.number().describe('SaaS plans from tomorrow to the period end, projected exactly with the SaaS formula (seats, prices, cycles, versions, end dates)'),
  usage_future: z.number().describe('Usage (cloud, LLM, SaaS without a plan) median from today to the period end'),
  daily: z.array(z.strictObject({ day: Day, median: z.number(), lower: z.number(), upper: z.number() })).describe('Each day ahead (today: what is still to come), known costs exact plus the usage median and its 80 % interval; the period interval is not the sum of these bounds (daily noise partly cancels)'),
  series: z.strictObject({ usage: z.number().int(), known: z.number().int() }),
  backtest: ForecastBacktestZ,
});

export const ForecastMethodZ = z.literal(MODEL.method).describe('Robust seasonal-naive: median weekday profile, damped Theil-Sen trend over the last 12 weeks of local days, per category × provider series; SaaS plans projected exactly');
