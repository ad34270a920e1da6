import type { Ctx } from '../../context/index.js';
import { ValidationError } from '../../errors.js';
import { CURRENCY_CODES } from '../../i18n/index.js';
import { orgDataset } from '../../orgs/tables.js';
import { findProvider, costProviders, SERVICE_CATEGORIES } from '../catalog.js';
import { addDays, daysBetween, isCivilDate, localDate, startOfLocalDay } from '../../i18n/dates.js';
import type { CostScope, HierarchyFilter } from '../ledger/store.js';
import type { AllocationRule } from '../ledger/allocation.js';
import { allocationRulesOf } from '../../hierarchy/allocation/rules.js';

/** The common query parameters of every cost route, as the route parsed them. */
export interface CostQuery {
  orgSlug: string;
  start_date?: string;
  end_date?: string;
  providers?: string[];
  service_categories?: string[];
  currency?: string;
  /** Hierarchy filters (the web app's): an entity or a path, each matching its subtree. */
  hierarchy_entity_id?: string;
  hierarchy_path?: string;
  /** Entity ids at hierarchy levels 1, 2, 3 (the earlier web app's department/project/team). */
  department_id?: string;
  project_id?: string;
  team_id?: string;
}

/** The web app's category names (and ours) as x_CostCategory values: service_categories=genai,cloud,subscription. */
export const WEB_CATEGORIES: Record<string, string> = { genai: 'llm', llm: 'llm', cloud: 'cloud', subscription: 'saas', saas: 'saas', other: 'other' };

/** Our x_CostCategory as the later web app names it (trend-granular's `category`). */
export const WEB_CATEGORY_OF: Record<string, 'genai' | 'cloud' | 'subscription'> = { llm: 'genai', cloud: 'cloud', saas: 'subscription' };

const ENTITY_ID = /^[A-Za-z0-9_-]{1,100}$/;
const HIERARCHY_PATH = /^\/[A-Za-z0-9_/-]{0,499}$/;

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
  /** service_categories values that are the web app's category names, as x_CostCategory. */
  costCategoryFilter?: string[];
  hierarchy?: HierarchyFilter;
  /** The org's label allocation rules (hierarchy/allocation), applied to untagged rows by the reduction. */
  allocation?: readonly AllocationRule[];
}

function refuse(field: string, message: string): never {
  throw new ValidationError(message, { [field]: [message] });
}

/** Validates ranges and filters (422 naming the field) and fills the defaults (month to date). */
export async function resolveScope(ctx: Pick<Ctx, 'profiles' | 'clock'> & Partial<Pick<Ctx, 'actor' | 'warehouse'>>, q: CostQuery, opts: { maxDays?: number } = {}): Promise<Scope> {
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
  const maxDays = opts.maxDays ?? MAX_RANGE_DAYS;
  if (daysBetween(start, end) + 1 > maxDays) refuse('end_date', `The range is longer than ${maxDays} days`);
  const currency = q.currency ?? profile.default_currency ?? 'USD';
  if (!(CURRENCY_CODES as readonly string[]).includes(currency)) refuse('currency', `Unsupported currency; supported: ${CURRENCY_CODES.join(', ')}`);
  const providers = q.providers?.map((p) => findProvider(p)?.name ?? refuse('providers', `Unknown provider ${p}; known: ${costProviders().map((x) => x.slug).join(', ')}`));
  // FOCUS ServiceCategory values, or the web app's category names (x_CostCategory): both are categories to it.
  const serviceCategories: string[] = [];
  const costCategoryFilter: string[] = [];
  for (const c of q.service_categories ?? []) {
    const v = c.trim().toLowerCase();
    const focus = SERVICE_CATEGORIES.find((s) => s.toLowerCase() === v);
    // `other` is both FOCUS's Other and the web app's other (no known cost category): either matches.
    if (focus) serviceCategories.push(focus);
    if (WEB_CATEGORIES[v] && (!focus || v === 'other')) costCategoryFilter.push(WEB_CATEGORIES[v]);
    else if (!focus) refuse('service_categories', `Unknown service category ${c}; FOCUS allows: ${SERVICE_CATEGORIES.join(', ')}; or one of ${Object.keys(WEB_CATEGORIES).join(', ')}`);
  }
  const hierarchy = hierarchyFilter(q);
  // The key's tenant wins over a profile another instance may still cache from the slug's last life.
  const orgId = ctx.actor?.kind === 'org' && ctx.actor.orgSlug === q.orgSlug && ctx.actor.orgId ? ctx.actor.orgId : profile.org_id;
  // Label rules allocate the rows the pipelines left untagged, inside the reduction (one small central read; none stored = none applied).
  const allocation = ctx.warehouse ? await allocationRulesOf(ctx.warehouse, { orgSlug: q.orgSlug, orgId }) : [];
  return {
    orgSlug: q.orgSlug,
    orgId,
    datasetId: profile.org_dataset_id || orgDataset(q.orgSlug),
    timeZone, currency, start, end, today,
    ...(providers?.length ? { providers: [...new Set(providers)] } : {}),
    ...(serviceCategories.length ? { serviceCategories: [...new Set<string>(serviceCategories)] } : {}),
    ...(costCategoryFilter.length ? { costCategoryFilter: [...new Set<string>(costCategoryFilter)] } : {}),
    ...(hierarchy ? { hierarchy } : {}),
    ...(allocation.length ? { allocation } : {}),
  };
}

/** The hierarchy filters, checked as the original checked them (ids and paths of safe characters; 422 naming the field). */
function hierarchyFilter(q: CostQuery): HierarchyFilter | undefined {
  const id = (f: 'hierarchy_entity_id' | 'department_id' | 'project_id' | 'team_id') => {
    const v = q[f]?.trim();
    if (v === undefined || v === '') return undefined;
    if (!ENTITY_ID.test(v)) refuse(f, `${f} must be 1-100 letters, digits, - or _`);
    return v;
  };
  const entityIds = [id('hierarchy_entity_id'), id('project_id'), id('team_id')].filter((x): x is string => x !== undefined);
  const level1 = id('department_id');
  const path = q.hierarchy_path?.trim();
  if (path !== undefined && path !== '' && (!HIERARCHY_PATH.test(path) || path.includes('..') || path.includes('//'))) {
    refuse('hierarchy_path', 'hierarchy_path must start with / and hold entity ids separated by / (e.g. /DEPT-CIO/PROJ-CTO)');
  }
  const paths = path ? [path] : [];
  if (!entityIds.length && !paths.length && level1 === undefined) return undefined;
  return { ...(entityIds.length ? { entityIds } : {}), ...(paths.length ? { paths } : {}), ...(level1 !== undefined ? { level1 } : {}) };
}

/** The UTC half-open interval covering local days `from`..`to` (inclusive). */
export function utcInterval(timeZone: string, from: string, to: string): { fromUtc: Date; toUtc: Date } {
  return { fromUtc: startOfLocalDay(from, timeZone), toUtc: startOfLocalDay(addDays(to, 1), timeZone) };
}

/** The warehouse filter of a resolved scope over a UTC interval (every filter the request gave). */
export function costScope(scope: Scope, fromUtc: Date, toUtc: Date): CostScope {
  return {
    datasetId: scope.datasetId, fromUtc, toUtc, providers: scope.providers, serviceCategories: scope.serviceCategories,
    ...(scope.costCategoryFilter ? { costCategoryFilter: scope.costCategoryFilter } : {}),
    ...(scope.hierarchy ? { hierarchy: scope.hierarchy } : {}),
    ...(scope.allocation?.length ? { allocation: scope.allocation } : {}),
  };
}

/** What a cached answer depends on besides the view: every filter of the scope. */
export function filtersKey(scope: Scope): unknown[] {
  return [scope.providers ?? [], scope.serviceCategories ?? [], scope.costCategoryFilter ?? [], scope.hierarchy ?? null, scope.allocation ?? null];
}
