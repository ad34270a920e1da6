import { z } from 'zod';
import { CURRENCY_CODES } from '../i18n/index.js';
import { canonicalDecimal } from '../warehouse/decimal.js';
import { PLAN_NAME_PATTERN, PRICE_PATTERN, PROVIDER_PATTERN } from './catalog.js';
import { BILLING_CYCLES, DISCOUNT_TYPES, PRICING_MODELS } from './cost.js';
import { isCivilDate } from '../i18n/dates.js';
import { PLAN_STATUSES } from './status.js';
import { JSON_EXACT_DIGITS, Money, significantDigits } from './money.js';

/** Request pieces the subscriptions function (and later the costs function) share. */
export const ProviderName = z.string().regex(PROVIDER_PATTERN, 'provider must be 2-50 of a-z, 0-9 and _ (e.g. chatgpt_plus)');
export const PlanName = z.string().regex(PLAN_NAME_PATTERN, 'plan_name must be 1-50 letters, digits or _ (stored upper-case)');
export const SubscriptionId = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'subscription_id must be an id such as 6f1c…');
export const CivilDate = z.string().refine(isCivilDate, 'a calendar date YYYY-MM-DD');
export const BillingCycleZ = z.enum(BILLING_CYCLES);
export const PricingModelZ = z.enum(PRICING_MODELS);
export const DiscountTypeZ = z.enum(DISCOUNT_TYPES);
export const PlanStatusZ = z.enum(PLAN_STATUSES);
export const PlanCurrency = z.enum(CURRENCY_CODES, { error: `Unsupported currency; supported: ${CURRENCY_CODES.join(', ')}` });

/**
 * An amount: a decimal string ('25.00', exact) or a JSON number (taken at its shortest
 * spelling); never negative, at most 9 fractional digits (NUMERIC), never rounded. Becomes the
 * canonical decimal string the warehouse stores.
 */
export const Amount = z.union([z.string().regex(/^\d+(\.\d+)?$/, 'a decimal such as 25.00'), z.number().nonnegative().finite()])
  .transform((v) => canonicalDecimal(String(v)))
  .refine((s) => PRICE_PATTERN.test(s), 'at most 20 integer and 9 fractional digits')
  .refine((s) => significantDigits(s) <= JSON_EXACT_DIGITS, `at most ${JSON_EXACT_DIGITS} significant digits (answers carry money as JSON numbers, which hold no more exactly)`);

/**
 * An information-only figure the web app computed with floats (source_price, exchange_rate_used:
 * 1 / 83.02 is 0.012045290291496025): any number or decimal, 0 or more, rounded half away from
 * zero to NUMERIC's 9 fractional digits and to the JSON_EXACT_DIGITS a JSON number holds exactly.
 * Nothing is computed from it.
 */
export const InfoAmount = z.union([z.string().regex(/^\d+(\.\d+)?$/, 'a decimal such as 83.02'), z.number().nonnegative().finite()])
  .transform((v) => {
    let s = Money.of(canonicalDecimal(String(v))).toFixed(9);
    const int = s.split('.')[0]!.replace(/^0+/, '').length;
    if (int > 0 && int < JSON_EXACT_DIGITS) s = Money.of(s).toFixed(Math.min(9, JSON_EXACT_DIGITS - int));
    return canonicalDecimal(s);
  })
  .refine((s) => PRICE_PATTERN.test(s) && significantDigits(s) <= JSON_EXACT_DIGITS, `at most ${JSON_EXACT_DIGITS} integer digits`);

/** `"true"`/`"false"` in a query string. */
export const QueryBool = z.enum(['true', 'false']).transform((v) => v === 'true');
