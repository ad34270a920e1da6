import { z } from 'zod';

export const RatesBody = z.strictObject({
  rates: z.array(z.strictObject({
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD'),
    // Any ISO 4217 code (a billing currency need not be a reporting one): the rows of a currency
    // without a rate are left out of the totals and listed as missing until one is posted here.
    currency: z.string().regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code (3 upper-case letters)').refine((c) => c !== 'EUR', 'currency must not be EUR (the base: 1 unit per EUR)'),
    units_per_eur: z.string().regex(/^\d{1,20}(\.\d{1,9})?$/, 'units_per_eur must be a positive decimal string with at most 9 decimals').refine((v) => Number(v) > 0, 'units_per_eur must be positive'),
    is_approximation: z.boolean().optional(),
  })).min(1).max(500),
});

export const RatesResponse = z.strictObject({ success: z.literal(true), rows_received: z.number(), rows_changed: z.number() });
