import { z } from 'zod';

/**
 * The conditions of the pipeline, subscription, credential-expiry and freshness rule types
 * (evaluate/pipeline-success.ts, renewal.ts, expiry.ts, freshness.ts); spread into CONDITIONS (fields.ts), so a type here evaluates.
 */
export const MORE_CONDITIONS = {
  pipeline_success: {
    category: 'pipeline',
    schema: z.strictObject({
      pipeline_id: z.string().min(1).max(100).optional().describe('One pipeline; absent: any'),
      lookback_hours: z.number().int().min(1).max(24 * 30).default(24).describe('Successful runs that started this many hours back at most'),
    }),
  },
  subscription_renewal: {
    category: 'subscription',
    schema: z.strictObject({
      days_before_renewal: z.array(z.number().int().min(0).max(365)).min(1).max(10).default([30, 7, 1]).describe('Fires this many days before a SaaS plan\'s renewal_date (org\'s local days), once per plan, renewal date and value'),
      provider: z.string().min(1).max(50).optional().describe('One SaaS provider; absent: any'),
    }),
  },
  credential_expiry: {
    category: 'integration',
    schema: z.strictObject({
      expiry_warning_days: z.array(z.number().int().min(0).max(365)).min(1).max(10).default([30, 7, 1]).describe('Fires this many days before a service-account key expires (its published validBeforeTime), once per key, expiry and value; an expired key fires at once'),
      provider: z.string().min(1).max(50).optional().describe('One provider; absent: every credential with a known key expiry'),
    }),
  },
  data_freshness: {
    category: 'system',
    schema: z.strictObject({
      max_hours_since_update: z.number().int().min(1).max(24 * 30).default(48).describe('Fires when a provider\'s latest ledger row (ChargePeriodEnd) is older than this'),
      provider: z.string().min(1).max(50).optional().describe('One provider; absent: every provider with ledger rows in the lookback'),
      lookback_days: z.number().int().min(1).max(90).default(35).describe('How far back a provider counts as sending data (bounds the ledger scan)'),
    }),
  },
} as const;

/**
 * Rule types refused at creation because the data they would read is not stored; each names it
 * (the original's rule names, not silent rules).
 */
export const MISSING_DATA: Record<string, string> = {
  license_utilization: 'license_utilization needs seats in use, and saas_subscription_plans stores only the seats bought (seats), no seats-in-use count',
};
