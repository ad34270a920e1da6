import { z } from 'zod';
import { CurrencyCode, TimezoneId } from '@cloudact/shared/orgs/schemas';

export const LocaleUpdateBody = z.strictObject({
  default_currency: CurrencyCode.optional(),
  default_timezone: TimezoneId.optional(),
}).refine((b) => b.default_currency !== undefined || b.default_timezone !== undefined, 'Give default_currency, default_timezone or both');
export type LocaleUpdateBody = z.infer<typeof LocaleUpdateBody>;

// ---- Response bodies (see defineRoute: handlers are typed by their input side) ----

/** GET and PUT /organizations/{org}/locale. */
export const LocaleResponse = z.strictObject({
  org_slug: z.string(),
  default_currency: z.string().describe('ISO 4217 code, one of GET /api/v1/i18n/currencies'),
  default_country: z.string().describe('ISO 3166-1 alpha-2; follows the currency'),
  default_language: z.string(),
  default_timezone: z.string().describe('IANA id, one of GET /api/v1/i18n/timezones'),
  currency_symbol: z.string(),
  currency_name: z.string(),
  currency_decimals: z.number().int(),
});
export type LocaleResponse = z.input<typeof LocaleResponse>;

const Currency = z.strictObject({
  code: z.string(),
  symbol: z.string(),
  name: z.string(),
  decimals: z.number().int(),
  country: z.string(),
  major: z.boolean(),
});

// The i18n tables are `as const` (readonly) arrays: readonly() lets them through as they are.
export const CurrenciesResponse = z.strictObject({
  currencies: z.array(Currency).readonly(),
  default: z.string(),
});
export type CurrenciesResponse = z.input<typeof CurrenciesResponse>;

export const TimezonesResponse = z.strictObject({
  timezones: z.array(z.strictObject({ id: z.string(), label: z.string() })).readonly(),
  default: z.string(),
});
export type TimezonesResponse = z.input<typeof TimezonesResponse>;
