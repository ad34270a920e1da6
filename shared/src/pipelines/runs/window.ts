import { addDays } from '../../i18n/dates.js';

const DAY = 86_400_000;
/** How far back a run is looked up by id (its partitions); older runs are not served. */
export const LOOKUP_DAYS = 400;
/** The default of a listing: the last 30 UTC days through today. */
export const DEFAULT_LIST_DAYS = 30;

export function lookupWindow(now: Date): { from: Date; to: Date; fromDay: string; toDay: string } {
  const from = new Date(now.getTime() - LOOKUP_DAYS * DAY);
  const to = new Date(now.getTime() + DAY);
  return { from, to, fromDay: from.toISOString().slice(0, 10), toDay: addDays(to.toISOString().slice(0, 10), 1) };
}
