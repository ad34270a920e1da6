import { refuseField } from '../../errors.js';
import { isIanaZone } from '../../i18n/dates.js';
import { lazy } from '../../lazy.js';

/** cron-parser (with luxon, ~300 KB) loads with the first schedule computed, not at every cold start. */
const parser = lazy(async () => (await import('cron-parser')).CronExpressionParser);

const fail = refuseField;

/**
 * The first instant after `after` that the cron names, read in `timeZone` (DST included: the
 * library resolves local times, a skipped 02:30 runs at the next valid minute). A cron of anything
 * but five fields, out of range, or one that never runs (30 February) is 422 naming schedule_cron.
 */
export async function nextRun(cron: string, timeZone: string, after: Date): Promise<Date> {
  if (!isIanaZone(timeZone)) fail('schedule_timezone', `not an IANA time zone: ${timeZone}`);
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) fail('schedule_cron', `five fields (minute hour day-of-month month day-of-week), got ${fields.length}: ${cron}`);
  const P = await parser();
  try {
    return P.parse(fields.join(' '), { currentDate: after, tz: timeZone }).next().toDate();
  } catch (err) {
    return fail('schedule_cron', `not a cron that runs: ${(err as Error).message}`);
  }
}
