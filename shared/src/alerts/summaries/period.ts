import { addDays } from '../../i18n/dates.js';
import type { SummaryType } from './fields.js';

/** The local days a digest covers and the period it is compared with. */
export interface DigestPeriod { from: string; to: string; prev_from: string; prev_to: string; label: string; comparison: 'week over week' | 'month over month' }

/**
 * In the org's local days, complete days only: daily is yesterday against the same weekday a week
 * before (a Monday is not compared with a Sunday); weekly the 7 days to yesterday against the 7
 * before; monthly last calendar month against the month before.
 */
export function digestPeriod(type: SummaryType, today: string): DigestPeriod {
  const yesterday = addDays(today, -1);
  if (type === 'daily') return { from: yesterday, to: yesterday, prev_from: addDays(yesterday, -7), prev_to: addDays(yesterday, -7), label: yesterday, comparison: 'week over week' };
  if (type === 'weekly') {
    const from = addDays(yesterday, -6);
    return { from, to: yesterday, prev_from: addDays(from, -7), prev_to: addDays(yesterday, -7), label: `${from}..${yesterday}`, comparison: 'week over week' };
  }
  const to = addDays(`${today.slice(0, 7)}-01`, -1);
  const from = `${to.slice(0, 7)}-01`;
  const prevTo = addDays(from, -1);
  return { from, to, prev_from: `${prevTo.slice(0, 7)}-01`, prev_to: prevTo, label: from.slice(0, 7), comparison: 'month over month' };
}
