import { z } from 'zod';
import { DETECTOR } from '../anomalies/detector.js';

const direction = z.enum(['up', 'down', 'both']).default('up').describe('Increases (default), decreases or both');
const minImpact = z.number().positive().optional().describe('Also at least this impact over the anomaly\'s days, in the org\'s currency (the detector\'s own floor always applies)');

/**
 * The anomaly rule types (evaluate/anomaly.ts): both fire on the detector's records
 * (alerts/anomalies), once per anomaly. A rule may ask for more than the detector's thresholds,
 * never less: below them nothing is recorded, so a looser rule would silently never fire.
 */
export const ANOMALY_CONDITIONS = {
  anomaly_percent_change: {
    category: 'cost',
    schema: z.strictObject({
      percent_threshold: z.number().min(DETECTOR.minPercent, `the detector records changes of ${DETECTOR.minPercent} % or more`).max(100_000).default(DETECTOR.minPercent)
        .describe('Fires for an anomaly whose change against its same-weekday baseline is at least this percent (new spend always passes)'),
      direction, min_impact_amount: minImpact,
    }),
  },
  anomaly_std_deviation: {
    category: 'cost',
    schema: z.strictObject({
      std_threshold: z.number().min(DETECTOR.minZ, `the detector records deviations of ${DETECTOR.minZ} robust standard deviations or more`).max(1000).default(DETECTOR.minZ)
        .describe('Fires for an anomaly whose largest robust z (deviation / 1.4826 MAD of the same-weekday baseline) is at least this'),
      direction, min_impact_amount: minImpact,
    }),
  },
} as const;
