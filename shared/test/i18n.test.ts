import { describe, expect, it } from 'vitest';
import { CURRENCIES, countryForCurrency, formatAmount, nextResets, TIMEZONES } from '../src/i18n/index.js';

describe('i18n tables', () => {
  it('have 16 currencies with the decimals the product uses and 15 timezones', () => {
    expect(CURRENCIES).toHaveLength(16);
    const decimals = Object.fromEntries(CURRENCIES.map((c) => [c.code, c.decimals]));
    expect(decimals).toMatchObject({ JPY: 0, KWD: 3, BHD: 3, OMR: 3, USD: 2, INR: 2, AED: 2 });
    expect(CURRENCIES.filter((c) => c.major)).toHaveLength(10);
    expect(TIMEZONES).toHaveLength(15);
    for (const tz of TIMEZONES) expect(() => new Intl.DateTimeFormat('en', { timeZone: tz.id })).not.toThrow();
  });

  it('infer the country from the currency', () => {
    expect([countryForCurrency('USD'), countryForCurrency('EUR'), countryForCurrency('GBP'), countryForCurrency('INR'), countryForCurrency('AED'), countryForCurrency('SAR')]).toEqual(['US', 'DE', 'GB', 'IN', 'AE', 'SA']);
  });

  it('format amounts in each currency\'s precision', () => {
    expect(formatAmount(1234.5, 'INR')).toBe('₹1,234.50');
    expect(formatAmount(1234.5, 'JPY')).toBe('¥1,235');
    expect(formatAmount(12.3456, 'KWD')).toBe('د.ك 12.346');
  });
});

describe('quota resets in the org timezone', () => {
  it('Kolkata (UTC+5:30)', () => {
    expect(nextResets(new Date('2026-03-10T20:00:00Z'), 'Asia/Kolkata')).toEqual({ today: '2026-03-11', month: '2026-03', dayResetAt: '2026-03-11T18:30:00.000Z', monthResetAt: '2026-03-31T18:30:00.000Z' });
  });

  it('New York across the spring DST change', () => {
    // 2026-03-07 is EST (UTC-5); the next month starts in EDT (UTC-4).
    expect(nextResets(new Date('2026-03-07T12:00:00Z'), 'America/New_York')).toMatchObject({ today: '2026-03-07', dayResetAt: '2026-03-08T05:00:00.000Z', monthResetAt: '2026-04-01T04:00:00.000Z' });
  });

  it('UTC at the end of a year', () => {
    expect(nextResets(new Date('2026-12-31T23:59:59Z'), 'UTC')).toMatchObject({ today: '2026-12-31', dayResetAt: '2027-01-01T00:00:00.000Z', monthResetAt: '2027-01-01T00:00:00.000Z' });
  });

  it('Sydney, ahead of UTC', () => {
    expect(nextResets(new Date('2026-06-30T15:00:00Z'), 'Australia/Sydney')).toMatchObject({ today: '2026-07-01', dayResetAt: '2026-07-01T14:00:00.000Z', monthResetAt: '2026-07-31T14:00:00.000Z' });
  });
});
