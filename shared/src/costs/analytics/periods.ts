import { addDays } from '../../i18n/dates.js';

export type Granularity = 'daily' | 'weekly' | 'monthly';

/** The first local day of the period of `granularity` holding `day`: weeks start on Monday (ISO 8601). */
export function periodStart(day: string, granularity: Granularity): string {
  if (granularity === 'daily') return day;
  if (granularity === 'monthly') return `${day.slice(0, 7)}-01`;
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

/** The last local day of the period starting at `start`. */
export function periodEnd(start: string, granularity: Granularity): string {
  if (granularity === 'daily') return start;
  if (granularity === 'weekly') return addDays(start, 6);
  const [y, m] = start.split('-').map(Number) as [number, number];
  return addDays(new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10), -1);
}

/** Days in the local month holding `day`. */
export function daysInMonth(day: string): number {
  return Number(periodEnd(`${day.slice(0, 7)}-01`, 'monthly').slice(8, 10));
}

export function daysInYear(day: string): number {
  const y = Number(day.slice(0, 4));
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 366 : 365;
}
