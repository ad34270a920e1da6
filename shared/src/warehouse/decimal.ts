/**
 * Exact decimals for NUMERIC and BIGNUMERIC (money). Both adapters bind and read them through
 * here, so a value is exact on both engines or refused on both: a number or string with more
 * fractional digits than the type holds is an error, never silently rounded.
 */

export type DecimalType = 'NUMERIC' | 'BIGNUMERIC';

/** BigQuery's limits: NUMERIC is DECIMAL(38,9); BIGNUMERIC holds 38 digits after the point. */
export const DECIMAL_LIMITS: Record<DecimalType, { integerDigits: number; scale: number }> = {
  NUMERIC: { integerDigits: 29, scale: 9 },
  BIGNUMERIC: { integerDigits: 38, scale: 38 },
};

const PLAIN = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/**
 * Canonical spelling: plain notation, no exponent, no leading or trailing zeros beyond one
 * integer digit, no '-0'. Every adapter returns NUMERIC/BIGNUMERIC values in this form.
 */
export function canonicalDecimal(text: string): string {
  const m = PLAIN.exec(text.trim());
  if (!m || (!m[2] && !m[3])) throw new Error(`Not a decimal number: ${JSON.stringify(text)}`);
  let digits = (m[2] ?? '') + (m[3] ?? '');
  let point = (m[2] ?? '').length + Number(m[4] ?? 0);
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length);
  const int = digits.slice(0, point).replace(/^0+/, '') || '0';
  const frac = digits.slice(point).replace(/0+$/, '');
  const body = frac ? `${int}.${frac}` : int;
  return m[1] === '-' && body !== '0' ? `-${body}` : body;
}

/** A parameter value as the canonical decimal string of `type`, or an error saying why not. */
export function decimalParam(value: unknown, type: DecimalType): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value); // shortest round-trip spelling
  else if (typeof value === 'bigint') text = value.toString();
  else throw new Error(`A ${type} parameter takes a decimal string or a finite number, not ${describe(value)}`);
  const canonical = canonicalDecimal(text);
  checkFits(canonical, type, DECIMAL_LIMITS[type].integerDigits, DECIMAL_LIMITS[type].scale);
  return canonical;
}

/** `canonical` scaled to an integer with `scale` fractional digits (for DuckDB's DECIMAL(38, scale)). */
export function scaledDecimal(canonical: string, type: DecimalType, scale: number): bigint {
  checkFits(canonical, type, 38 - scale, scale);
  const negative = canonical.startsWith('-');
  const [int = '0', frac = ''] = canonical.replace(/^-/, '').split('.');
  const n = BigInt(int + frac.padEnd(scale, '0'));
  return negative ? -n : n;
}

function checkFits(canonical: string, type: DecimalType, integerDigits: number, scale: number): void {
  const [int = '0', frac = ''] = canonical.replace(/^-/, '').split('.');
  if (frac.length > scale) {
    throw new Error(`${type} value ${canonical} has ${frac.length} digits after the point; at most ${scale} fit (round it before binding)`);
  }
  if (int !== '0' && int.length > integerDigits) {
    throw new Error(`${type} value ${canonical} has ${int.length} integer digits; at most ${integerDigits} fit`);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Date) return 'a Date';
  return typeof value;
}
