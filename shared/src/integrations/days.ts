import { z } from 'zod';

/** Today's date (UTC), the day prices and plans are in force from. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** YYYY-MM-DD of the day before. */
export function dayBefore(day: string): string {
  return utcDay(new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000));
}

/** A real calendar day in YYYY-MM-DD (2026-02-30 is not). */
export const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && utcDay(new Date(`${d}T00:00:00Z`)) === d, 'must be a real calendar date');
