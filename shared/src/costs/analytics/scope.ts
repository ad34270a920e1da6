import type { Ctx } from '../../context/index.js';
import { ValidationError } from '../../errors.js';
import { CURRENCY_CODES } from '../../i18n/index.js';
import { orgDataset } from '../../orgs/tables.js';
import { findProvider, costProviders, SERVICE_CATEGORIES } from '../catalog.js';
import { addDays, daysBetween, isCivilDate, localDate, startOfLocalDay } from '../../i18n/dates.js';

/** The common query parameters of every cost route, as the route parsed them. */
export interface CostQuery {
  orgSlug: string;
  start_date?: string;
  end_date?: string;
  providers?: string[];
  service_categories?: string[];
  currency?: string;
}

export const MAX_RANGE_DAYS = 400;

/** What a request is about, resolved once: the org's zone and currency, local dates, filters. */
export interface Scope {
  orgSlug: string;
  /** The tenant (orgs/identity.ts): cached answers are keyed by it, so a re-used slug's next org never gets the last one's. */
  orgId: string;
  datasetId: string;
  timeZone: string;
  currency: string;
  /** Local dates, inclusive. */
  start: string;
  end: string;
  /** The org's local date now (month to date, forecasts). */
  today: string;
  providers?: string[];
  serviceCategories?: string[];
}

function refuse(field: string, message: string): never {
  throw new ValidationError(message, { [field]: [message] });
}

/** Validates ranges and filters (422 naming the field) and fills the defaults (month to date). */
export async function resolveScope(ctx: Pick<Ctx, 'profiles' | 'clock'> & Partial<Pick<Ctx, 'actor'>>, q: CostQuery): Promise<Scope> {
  const profile = await ctx.profiles.get(q.orgSlug);
  const timeZone = profile.default_timezone || 'UTC';
  const today = localDate(ctx.clock(), timeZone);
  for (const f of ['start_date', 'end_date'] as const) {
    const v = q[f];
    if (v !== undefined && !isCivilDate(v)) refuse(f, `${f} must be a date YYYY-MM-DD`);
  }
  const end = q.end_date ?? (q.start_date && q.start_date > today ? q.start_date : today);
  const start = q.start_date ?? `${end.slice(0, 7)}-01`;
  if (end < start) refuse('end_date', 'end_date is before start_date');
  if (daysBetween(start, end) + 1 > MAX_RANGE_DAYS) refuse('end_date', `The range is longer than ${MAX_RANGE_DAYS} days`);
  const currency = q.currency ?? profile.default_currency ?? 'USD';
  if (!(CURRENCY_CODES as readonly string[]).includes(currency)) refuse('currency', `Unsupported currency; supported: ${CURRENCY_CODES.join(', ')}`);
  const providers = q.providers?.map((p) => findProvider(p)?.name ?? refuse('providers', `Unknown provider ${p}; known: ${costProviders().map((x) => x.slug).join(', ')}`));
  const serviceCategories = q.service_categories?.map((c) => SERVICE_CATEGORIES.find((s) => s.toLowerCase() === c.trim().toLowerCase()) ?? refuse('service_categories', `Unknown service category ${c}; FOCUS allows: ${SERVICE_CATEGORIES.join(', ')}`));
  return {
    orgSlug: q.orgSlug,
    // The key's tenant wins over a profile another instance may still cache from the slug's last life.
    orgId: ctx.actor?.kind === 'org' && ctx.actor.orgSlug === q.orgSlug && ctx.actor.orgId ? ctx.actor.orgId : profile.org_id,
    datasetId: profile.org_dataset_id || orgDataset(q.orgSlug),
    timeZone, currency, start, end, today,
    ...(providers?.length ? { providers: [...new Set(providers)] } : {}),
    ...(serviceCategories?.length ? { serviceCategories: [...new Set<string>(serviceCategories)] } : {}),
  };
}

/** The UTC half-open interval covering local days `from`..`to` (inclusive). */
export function utcInterval(timeZone: string, from: string, to: string): { fromUtc: Date; toUtc: Date } {
  return { fromUtc: startOfLocalDay(from, timeZone), toUtc: startOfLocalDay(addDays(to, 1), timeZone) };
}
