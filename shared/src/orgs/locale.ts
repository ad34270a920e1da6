import { forgetOrg, type AppDeps } from '../app/deps.js';
import { countryForCurrency, currency } from '../i18n/index.js';
import { writeAudit } from './audit.js';
import { getLiveProfile, type OrgProfile } from './profile-store.js';
import { ref } from './tables.js';

function view(p: Pick<OrgProfile, 'org_slug' | 'default_currency' | 'default_country' | 'default_language' | 'default_timezone'>) {
  const c = currency(p.default_currency) ?? currency('USD')!;
  return {
    org_slug: p.org_slug,
    default_currency: p.default_currency,
    default_country: p.default_country,
    default_language: p.default_language,
    default_timezone: p.default_timezone,
    currency_symbol: c.symbol,
    currency_name: c.name,
    currency_decimals: c.decimals,
  };
}

/** Served from the profile cache: the web app reads the locale on every page. */
export async function getLocale(deps: AppDeps, orgSlug: string) {
  return view(await deps.profiles.get(orgSlug));
}

/** Changes currency and/or timezone; the country follows the currency. */
export async function updateLocale(deps: AppDeps, orgSlug: string, change: { default_currency?: string; default_timezone?: string }, requestId: string) {
  const wh = deps.warehouse;
  const now = deps.clock();
  const before = await getLiveProfile(wh, orgSlug);
  const after = {
    ...before,
    default_currency: change.default_currency ?? before.default_currency,
    default_country: change.default_currency ? countryForCurrency(change.default_currency) : before.default_country,
    default_timezone: change.default_timezone ?? before.default_timezone,
  };
  await Promise.all([
    wh.execute({
      sql: `UPDATE ${ref(wh, 'org_profiles')} SET default_currency = @currency, default_country = @country, default_timezone = @tz, updated_at = @now WHERE org_slug = @org`,
      params: { currency: after.default_currency, country: after.default_country, tz: after.default_timezone, now, org: orgSlug },
    }),
    writeAudit(wh, now, { orgSlug, action: 'LOCALE_UPDATE', resourceType: 'ORGANIZATION', resourceId: orgSlug, requestId, details: { before: view(before), after: view(after) } }),
  ]);
  forgetOrg(deps, orgSlug);
  return view(after);
}
