import { describe, expect, it } from 'vitest';
import { jsonNumber, significantDigits, JSON_EXACT_DIGITS } from '../src/saas/money.js';
import { Amount, InfoAmount } from '../src/saas/schemas.js';
import { canonicalDecimal } from '../src/warehouse/decimal.js';

/**
 * Money answered as JSON numbers (shared/src/saas/money.ts jsonNumber): the JSON text of the
 * number is the exact decimal for every amount the SaaS routes accept (at most 15 significant
 * digits), and amounts beyond that are refused rather than rounded.
 */
describe('money as JSON numbers', () => {
  it('counts significant digits', () => {
    expect([significantDigits('0.0250'), significantDigits('1200'), significantDigits('10.10'), significantDigits('1234567890.123456789')]).toEqual([2, 2, 3, 19]);
  });

  it('writes the exact decimal: 10.10 → 10.1, 1234567890.12345 → 1234567890.12345', () => {
    expect(JSON.stringify({ a: jsonNumber('10.10'), b: jsonNumber('1234567890.12345'), c: jsonNumber('0.000000001'), d: jsonNumber(null) })).toBe('{"a":10.1,"b":1234567890.12345,"c":1e-9,"d":null}');
  });

  it('every decimal of at most 15 significant digits (NUMERIC-shaped, 9 decimals at most) survives: its JSON text parses back to the same decimal', () => {
    let seed = 7;
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    for (let i = 0; i < 20000; i++) {
      const digits = 1 + rnd(JSON_EXACT_DIGITS);
      const frac = Math.min(9, rnd(digits + 1));
      let body = '';
      for (let d = 0; d < digits; d++) body += String(d === 0 ? 1 + rnd(9) : rnd(10));
      const text = frac ? `${body.slice(0, digits - frac) || '0'}.${body.slice(digits - frac)}` : body;
      const wire = JSON.stringify(jsonNumber(text));
      expect(canonicalDecimal(String(JSON.parse(wire))), text).toBe(canonicalDecimal(text));
    }
  });

  it('Amount refuses more than 15 significant digits (1234567890.123456789: 422), never rounds', () => {
    expect(Amount.safeParse('1234567890.12345').success).toBe(true);
    const refused = Amount.safeParse('1234567890.123456789');
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toMatch(/15 significant digits/);
  });

  it('InfoAmount (information-only figures the web app computes with floats) is rounded to 9 decimals and 15 digits', () => {
    expect(InfoAmount.parse(1 / 83.02)).toBe('0.01204529');
    expect(InfoAmount.parse(727.3000000000001)).toBe('727.3');
    expect(InfoAmount.parse('83.02')).toBe('83.02');
    expect(InfoAmount.parse(123456789.123456789)).toBe('123456789.123457');
  });
});
