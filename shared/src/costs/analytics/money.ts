import { CURRENCIES } from '../../i18n/index.js';

/**
 * The currency's minor-unit digits: ours for the reporting currencies, ICU's ISO 4217 data for
 * any other billing currency (CLP 0, TND 3), 2 for a code ICU does not know.
 */
export function decimalsOf(currency: string): number {
  const own = CURRENCIES.find((c) => c.code === currency)?.decimals;
  if (own !== undefined) return own;
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** One amount rounded once, at the end, to the currency's decimals (half away from zero). */
export function roundMoney(value: number, decimals: number): number {
  const f = 10 ** decimals;
  const minor = Math.sign(value) * Math.round(Math.abs(value) * f);
  return (minor === 0 ? 0 : minor) / f;
}

/**
 * Rounds parts so they add up exactly to their rounded total (largest remainder): every part is
 * floored to minor units, and the units the floors lost go to the parts that lost the most. The
 * total is the sum of the unrounded parts, rounded once.
 */
export function apportion(parts: readonly number[], decimals: number, total?: number): { parts: number[]; total: number } {
  const f = 10 ** decimals;
  const scaled = parts.map((p) => p * f);
  // A total given by the caller (the same grand total for every breakdown of one response).
  const totalMinor = Math.round((total ?? parts.reduce((a, b) => a + b, 0)) * f);
  const floors = scaled.map((x) => Math.floor(x));
  let left = totalMinor - floors.reduce((a, b) => a + b, 0);
  // Summation order can move a sum across a half unit: then the floors already exceed the total.
  if (left < 0) {
    const order = scaled.map((x, i) => ({ i, rem: x - floors[i]! })).sort((a, b) => a.rem - b.rem || a.i - b.i);
    for (let k = 0; left < 0 && k < order.length; k++, left++) {
      const j = order[k]!.i;
      floors[j] = floors[j]! - 1;
    }
  }
  const order = scaled.map((x, i) => ({ i, rem: x - floors[i]! })).sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (let k = 0; left > 0 && k < order.length; k++, left--) {
    const j = order[k]!.i;
    floors[j] = floors[j]! + 1;
  }
  return { parts: floors.map((m) => (m === 0 ? 0 : m / f)), total: (totalMinor === 0 ? 0 : totalMinor / f) };
}
