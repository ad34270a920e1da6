import { nextResets } from '../i18n/index.js';

/** Civil dates ('YYYY-MM-DD') as plans store them: no time, no zone; "today" is the org's. */

/** The calendar date in `tz` at instant `now`: an org in Asia/Kolkata is a day ahead of UTC from 18:30 UTC. */
export function localToday(now: Date, tz: string): string {
  return nextResets(now, tz).today;
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** A real calendar date in YYYY-MM-DD form (2026-02-30 is not). */
export function isCivilDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const t = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === text;
}
