/**
 * The i18n tables: one data module, used by onboarding validation, locale and cost formatting.
 * Country follows currency (an org in INR is in India unless it says otherwise).
 */
import { addDays, localDate, startOfLocalDay } from './dates.js';
export interface Currency {
  code: string;
  symbol: string;
  name: string;
  decimals: number;
  country: string;
  major: boolean;
}

export const CURRENCIES = [
  { code: 'USD', symbol: '$', name: 'US Dollar', decimals: 2, country: 'US', major: true },
  { code: 'EUR', symbol: '€', name: 'Euro', decimals: 2, country: 'DE', major: true },
  { code: 'GBP', symbol: '£', name: 'British Pound', decimals: 2, country: 'GB', major: true },
  { code: 'JPY', symbol: '¥', name: 'Japanese Yen', decimals: 0, country: 'JP', major: true },
  { code: 'CHF', symbol: 'CHF', name: 'Swiss Franc', decimals: 2, country: 'CH', major: true },
  { code: 'CAD', symbol: 'C$', name: 'Canadian Dollar', decimals: 2, country: 'CA', major: true },
  { code: 'AUD', symbol: 'A$', name: 'Australian Dollar', decimals: 2, country: 'AU', major: true },
  { code: 'CNY', symbol: '¥', name: 'Chinese Yuan', decimals: 2, country: 'CN', major: true },
  { code: 'INR', symbol: '₹', name: 'Indian Rupee', decimals: 2, country: 'IN', major: true },
  { code: 'SGD', symbol: 'S$', name: 'Singapore Dollar', decimals: 2, country: 'SG', major: true },
  { code: 'AED', symbol: 'د.إ', name: 'UAE Dirham', decimals: 2, country: 'AE', major: false },
  { code: 'SAR', symbol: '﷼', name: 'Saudi Riyal', decimals: 2, country: 'SA', major: false },
  { code: 'QAR', symbol: 'ر.ق', name: 'Qatari Riyal', decimals: 2, country: 'QA', major: false },
  { code: 'KWD', symbol: 'د.ك', name: 'Kuwaiti Dinar', decimals: 3, country: 'KW', major: false },
  { code: 'BHD', symbol: '.د.ب', name: 'Bahraini Dinar', decimals: 3, country: 'BH', major: false },
  { code: 'OMR', symbol: 'ر.ع.', name: 'Omani Rial', decimals: 3, country: 'OM', major: false },
] as const satisfies readonly Currency[];

export type CurrencyCode = (typeof CURRENCIES)[number]['code'];
export const CURRENCY_CODES = CURRENCIES.map((c) => c.code) as unknown as readonly [CurrencyCode, ...CurrencyCode[]];

export interface Timezone {
  id: string;
  label: string;
}

export const TIMEZONES = [
  { id: 'UTC', label: 'Coordinated Universal Time' },
  { id: 'America/New_York', label: 'Eastern Time (US)' },
  { id: 'America/Chicago', label: 'Central Time (US)' },
  { id: 'America/Denver', label: 'Mountain Time (US)' },
  { id: 'America/Los_Angeles', label: 'Pacific Time (US)' },
  { id: 'Europe/London', label: 'London' },
  { id: 'Europe/Paris', label: 'Paris' },
  { id: 'Europe/Berlin', label: 'Berlin' },
  { id: 'Asia/Dubai', label: 'Dubai' },
  { id: 'Asia/Riyadh', label: 'Riyadh' },
  { id: 'Asia/Kolkata', label: 'India (Kolkata)' },
  { id: 'Asia/Singapore', label: 'Singapore' },
  { id: 'Asia/Tokyo', label: 'Tokyo' },
  { id: 'Asia/Shanghai', label: 'China (Shanghai)' },
  { id: 'Australia/Sydney', label: 'Sydney' },
] as const satisfies readonly Timezone[];

export type TimezoneId = (typeof TIMEZONES)[number]['id'];
export const TIMEZONE_IDS = TIMEZONES.map((t) => t.id) as unknown as readonly [TimezoneId, ...TimezoneId[]];

export const LANGUAGES = ['en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const LOCALE_DEFAULTS = { currency: 'USD', country: 'US', language: 'en', timezone: 'UTC' } as const;

export function currency(code: string): Currency | undefined {
  return CURRENCIES.find((c) => c.code === code);
}

export function isTimezone(id: string): id is TimezoneId {
  return (TIMEZONE_IDS as readonly string[]).includes(id);
}

/** Country inferred from the currency, as the web app shows it. */
export function countryForCurrency(code: string): string {
  return currency(code)?.country ?? LOCALE_DEFAULTS.country;
}

/** An amount in the currency's own precision, e.g. ₹1,234.50, ¥1,235, د.ك 12.345. */
export function formatAmount(amount: number, code: string): string {
  const c = currency(code) ?? currency('USD')!;
  const fixed = amount.toLocaleString('en-US', { minimumFractionDigits: c.decimals, maximumFractionDigits: c.decimals });
  return c.symbol.length > 1 && !/^[A-Z]?\$$/.test(c.symbol) ? `${c.symbol} ${fixed}` : `${c.symbol}${fixed}`;
}

/** Today and this month in `tz`, and the UTC instants the next local day and month start. */
export function nextResets(now: Date, tz: string): { today: string; month: string; dayResetAt: string; monthResetAt: string } {
  const today = localDate(now, tz);
  const [y, m] = today.split('-').map(Number) as [number, number];
  const nextMonth = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
  return { today, month: today.slice(0, 7), dayResetAt: startOfLocalDay(addDays(today, 1), tz).toISOString(), monthResetAt: startOfLocalDay(nextMonth, tz).toISOString() };
}
