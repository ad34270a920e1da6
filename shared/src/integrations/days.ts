import { z } from 'zod';
import { isCivilDate } from '../i18n/dates.js';

/** A real calendar day in YYYY-MM-DD (2026-02-30 is not). */
export const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').refine(isCivilDate, 'must be a real calendar date');
