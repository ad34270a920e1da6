import { canonicalDecimal } from '../warehouse/decimal.js';

/**
 * Exact money arithmetic for the SaaS cost formula. Amounts arrive as the warehouse's exact
 * NUMERIC strings; a quarter's third or a day's share of a year does not terminate in decimal,
 * so values are kept as fractions of big integers and rounded once, at the end, half away from
 * zero. Never a binary float.
 */
export class Money {
  private constructor(readonly num: bigint, readonly den: bigint) {}

  static of(value: string | number | bigint): Money {
    if (typeof value === 'bigint') return new Money(value, 1n);
    const text = canonicalDecimal(typeof value === 'number' ? String(value) : value);
    const negative = text.startsWith('-');
    const [int = '0', frac = ''] = text.replace(/^-/, '').split('.');
    const n = BigInt(int + frac);
    return Money.fraction(negative ? -n : n, 10n ** BigInt(frac.length));
  }

  static readonly ZERO = new Money(0n, 1n);

  static fraction(num: bigint, den: bigint): Money {
    if (den === 0n) throw new Error('division by zero');
    const sign = den < 0n ? -1n : 1n;
    const g = gcd(num < 0n ? -num : num, den < 0n ? -den : den) || 1n;
    return new Money((sign * num) / g, (sign * den) / g);
  }

  add(o: Money): Money { return Money.fraction(this.num * o.den + o.num * this.den, this.den * o.den); }
  sub(o: Money): Money { return Money.fraction(this.num * o.den - o.num * this.den, this.den * o.den); }
  mul(o: Money | bigint | number): Money {
    const m = o instanceof Money ? o : Money.of(BigInt(o));
    return Money.fraction(this.num * m.num, this.den * m.den);
  }
  div(o: Money | bigint | number): Money {
    const m = o instanceof Money ? o : Money.of(BigInt(o));
    return Money.fraction(this.num * m.den, this.den * m.num);
  }
  max(o: Money): Money { return this.cmp(o) >= 0 ? this : o; }
  cmp(o: Money): number {
    const d = this.num * o.den - o.num * this.den;
    return d === 0n ? 0 : d < 0n ? -1 : 1;
  }
  isZero(): boolean { return this.num === 0n; }

  /** Rounded half away from zero to `scale` digits, written with exactly `scale` of them ('250.00'). */
  toFixed(scale: number): string {
    const factor = 10n ** BigInt(scale);
    const scaled = this.num * factor;
    const abs = scaled < 0n ? -scaled : scaled;
    let q = abs / this.den;
    if ((abs % this.den) * 2n >= this.den) q += 1n;
    const digits = q.toString().padStart(scale + 1, '0');
    const body = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
    return scaled < 0n && q !== 0n ? `-${body}` : body;
  }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** A stored decimal shown with at least `scale` fractional digits and never fewer than it has ('25' → '25.00', '0.125' → '0.125'). */
export function showDecimal(value: string, scale: number): string {
  const text = canonicalDecimal(value);
  const frac = text.split('.')[1] ?? '';
  return Money.of(text).toFixed(Math.max(scale, frac.length));
}

/**
 * How many digits a JSON number can carry so that its text is the exact decimal: every decimal
 * of at most 15 significant digits survives the binary float a JSON parser makes of it, and
 * prints back as the same decimal (Number('12.345') prints '12.345'). Amounts the SaaS routes
 * accept are capped at this (schemas.ts: Amount); a computed total beyond it (10^13 and more in
 * a currency) is sent as the nearest float, with its exact twin beside it.
 */
export const JSON_EXACT_DIGITS = 15;

/** Significant digits of a decimal string ('0.0250' → 2, '1200' → 2, '10.10' → 3). */
export function significantDigits(value: string): number {
  const digits = canonicalDecimal(value).replace(/^-/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return digits.length;
}

/**
 * An exact decimal as the JSON number the web app does arithmetic on. Serialised by
 * JSON.stringify from the float, whose shortest spelling is the same decimal when it has at most
 * JSON_EXACT_DIGITS significant digits ('10.10' → 10.1, '1234567890.12345' → 1234567890.12345).
 */
export function jsonNumber(exact: string): number;
export function jsonNumber(exact: string | null): number | null;
export function jsonNumber(exact: string | null): number | null {
  return exact === null ? null : Number(canonicalDecimal(exact));
}
