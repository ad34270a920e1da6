import { z } from 'zod';
import { CurrencyCode, TimezoneId } from '@cloudact/shared/orgs/schemas';

export const LocaleUpdateBody = z.strictObject({
  default_currency: CurrencyCode.optional(),
  default_timezone: TimezoneId.optional(),
}).refine((b) => b.default_currency !== undefined || b.default_timezone !== undefined, 'Give default_currency, default_timezone or both');

export const LocaleResponse = z.object({
  org_slug: z.string(),
  default_currency: z.string(),
  default_country: z.string(),
  default_language: z.string(),
  default_timezone: z.string(),
  currency_symbol: z.string(),
  currency_name: z.string(),
  currency_decimals: z.number().int(),
});
