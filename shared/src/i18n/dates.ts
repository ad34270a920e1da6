/**
 * Civil dates (YYYY-MM-DD, no time, no zone) and an org's local days: the one implementation the
 * quota resets, SaaS plan statuses and costs, LLM pricing dates and the cost buckets all use.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time of `instant` in `timeZone`, as if it were UTC (ms). */
function wallMs(instant: number, timeZone: string): number {
  const p = Object.fromEntries(formatter(timeZone).formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
}

/** Whether `timeZone` is an IANA zone this runtime knows (its formatter is then cached for the date helpers). */
export function isIanaZone(timeZone: string): boolean {
  try { formatter(timeZone); return true; } catch { return false; }
}

/** The hour (0-23) of the local wall clock at an instant. */
export function localHour(instant: Date, timeZone: string): number {
  return new Date(wallMs(instant.getTime(), timeZone)).getUTCHours();
}

/** The org's local date at an instant. */
export function localDate(instant: Date, timeZone: string): string {
  return new Date(wallMs(instant.getTime(), timeZone)).toISOString().slice(0, 10);
}

/**
 * The UTC instant a local day starts (its first local midnight; where DST skips midnight, the
 * first instant of the day). Two passes settle the offset on either side of a change.
 */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const wall = Date.parse(`${date}T00:00:00Z`);
  let t = wall;
  for (let i = 0; i < 3; i++) t = wall - (wallMs(t, timeZone) - t);
  // A skipped midnight lands the guess inside the gap's day before: step forward to the day.
  if (localDate(new Date(t), timeZone) < date) t += 3_600_000;
  return new Date(t);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (to − from). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Days since 1970-01-01 of a date YYYY-MM-DD (how the warehouse's local-day reduction numbers days). */
export function dayNumber(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);
}

/** A real calendar date in YYYY-MM-DD form (2026-02-30 is not). */
export function isCivilDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === s;
}

/** YYYY-MM-DD of the day before. */
export function dayBefore(date: string): string {
  return addDays(date, -1);
}
