import { z } from 'zod';
import { CURRENCY_CODES } from '@cloudact/shared/i18n';

export const RatesBody = z.strictObject({
  rates: z.array(z.strictObject({
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD'),
    currency: z.enum(CURRENCY_CODES.filter((c) => c !== 'EUR') as [string, ...string[]], { error: 'currency must be a supported currency other than EUR (the base)' }),
    units_per_eur: z.string().regex(/^\d{1,20}(\.\d{1,9})?$/, 'units_per_eur must be a positive decimal string with at most 9 decimals').refine((v) => Number(v) > 0, 'units_per_eur must be positive'),
    is_approximation: z.boolean().optional(),
  })).min(1).max(500),
});

export const RatesResponse = z.strictObject({ success: z.literal(true), rows_received: z.number(), rows_changed: z.number() });
