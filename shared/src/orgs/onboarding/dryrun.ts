import type { Ctx } from '../../context/index.js';
import { currency, isTimezone } from '../../i18n/index.js';
import { PLAN_NAMES } from '../plan/limits.js';
import { slugProblem } from '../slug.js';
import { slugHolder } from '../profiles/store.js';
import { CENTRAL } from '../tables.js';
import { centralTables } from '../../warehouse/schemas.js';

export interface DryrunInput {
  org_slug: string;
  company_name: string;
  admin_email: string;
  subscription_plan: string;
  default_currency?: string;
  default_timezone?: string;
  default_country?: string;
}

interface Check { check_name: string; status: 'PASSED' | 'FAILED'; message: string }

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Everything onboarding would check, without writing. The three warehouse checks run in parallel. */
export async function dryrunOnboarding(ctx: Pick<Ctx, 'warehouse'>, input: DryrunInput) {
  const wh = ctx.warehouse;
  const checks: Check[] = [];
  const add = (check_name: string, ok: boolean, pass: string, fail: string) => checks.push({ check_name, status: ok ? 'PASSED' : 'FAILED', message: ok ? pass : fail });

  const slugIssue = slugProblem(input.org_slug);
  const slugOk = slugIssue === undefined;
  add('org_slug_format', slugOk, 'Slug format is valid', slugIssue ?? '');
  add('company_name', input.company_name.trim().length >= 2 && input.company_name.length <= 200, 'Company name is valid', 'Company name must be 2-200 characters');
  add('admin_email', EMAIL.test(input.admin_email), 'Admin email is valid', 'Admin email is not a valid address');
  add('subscription_plan', (PLAN_NAMES as readonly string[]).includes(input.subscription_plan), `Plan ${input.subscription_plan} exists`, `Unknown plan; use one of ${PLAN_NAMES.join(', ')}`);
  const cur = input.default_currency ?? 'USD';
  add('currency_supported', Boolean(currency(cur)), `Currency ${cur} is supported`, `Currency ${cur} is not supported`);
  const tz = input.default_timezone ?? 'UTC';
  add('timezone_supported', isTimezone(tz), `Timezone ${tz} is supported`, `Timezone ${tz} is not supported`);

  // One round: the slug lookup fails harmlessly when the central tables do not exist yet.
  const [reachable, layout, holder] = await Promise.all([
    wh.ping().then(() => true, () => false),
    wh.describeDataset(CENTRAL).catch(() => new Map<string, string[]>()),
    slugOk
      ? slugHolder(wh, input.org_slug)
        // DELETED and FAILED slugs may be claimed again: only a live org or a running claim holds one.
        .then((h) => ({ ok: true as const, status: h && !['DELETED', 'FAILED'].includes(h.status) ? h.status : undefined }), () => ({ ok: false as const, status: undefined }))
      : Promise.resolve({ ok: false as const, status: undefined }),
  ]);
  add('warehouse_reachable', reachable, `Warehouse (${wh.kind}) is reachable`, `Warehouse (${wh.kind}) is not reachable`);
  const missing = centralTables().tables.map((t) => t.name).filter((t) => !layout.has(t));
  add('central_tables_present', missing.length === 0, 'All central tables exist', `Missing central tables (run bootstrap): ${missing.join(', ')}`);
  add('org_slug_available', holder.ok && !holder.status, `Slug ${input.org_slug} is available`,
    holder.status ? `Slug ${input.org_slug} is taken (status ${holder.status})` : 'Cannot check availability: slug invalid or central tables missing');

  const failed = checks.filter((c) => c.status === 'FAILED').length;
  return {
    status: failed ? 'FAILED' : 'SUCCESS',
    ready_for_onboarding: failed === 0,
    org_slug: input.org_slug,
    validation_summary: { total_checks: checks.length, passed: checks.length - failed, failed },
    validation_results: checks,
    message: failed ? `${failed} check(s) failed` : 'Ready for onboarding',
  };
}
