import { z } from 'zod';
import { decimalParam } from '../warehouse/decimal.js';

/**
 * Money and percentages as the web app sends them (JSON numbers; decimal strings are accepted
 * too), checked and turned into the exact decimal strings NUMERIC columns take. A number is
 * read at its shortest spelling (0.0025 stays 0.0025); more than 9 decimals is refused, never
 * rounded (NUMERIC holds 9).
 */
function decimal(max?: number) {
  const number = z.number().min(0, 'must be 0 or more');
  return z.union([max === undefined ? number : number.max(max, `must be at most ${max}`), z.string().regex(/^\d{1,29}(\.\d+)?$/, 'must be a decimal number, 0 or more')])
    .transform((v, ctx) => {
      try {
        const exact = decimalParam(v, 'NUMERIC');
        if (max !== undefined && Number(exact) > max) ctx.addIssue({ code: 'custom', message: `must be at most ${max}` });
        return exact;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must have at most 9 digits after the point' });
        return z.NEVER;
      }
    });
}

export const MoneyInput = decimal();
export const PercentageInput = decimal(100);

/** Responses carry money as JSON numbers (the web app's shape); the exact value stays in the warehouse. */
export function amount(exact: string): number;
export function amount(exact: string | null): number | null;
export function amount(exact: string | null): number | null {
  return exact === null ? null : Number(exact);
}
