/** Robust statistics on the small per-series arrays (a handful of same-weekday points each). */

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median absolute deviation from `center`. */
export function mad(xs: readonly number[], center: number): number {
  return median(xs.map((x) => Math.abs(x - center)));
}

/** 1.4826 × MAD estimates the standard deviation of normal data, without letting one spike in the baseline inflate it. */
export const MAD_TO_SIGMA = 1.4826;
