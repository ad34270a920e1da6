import { forgetOrg } from '../app/deps.js';
import type { Ctx } from '../context.js';
import { ConflictError } from '../errors.js';
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
export async function getLocale(ctx: Pick<Ctx, 'profiles'>, input: { orgSlug: string }) {
  return view(await ctx.profiles.get(input.orgSlug));
}

export interface LocaleChange {
  default_currency?: string;
  default_timezone?: string;
}

/**
 * Changes currency and/or timezone; the country follows the currency. Read, then a conditional
 * UPDATE on the `locale_version` that was read: of two concurrent changes one applies and the
 * other gets 409 (re-read and try again), instead of silently overwriting it. The audit row,
 * written after, names the key that made the change.
 */
export async function updateLocale(ctx: Ctx, input: { orgSlug: string; change: LocaleChange }) {
  const wh = ctx.warehouse;
  const now = ctx.clock();
  const { orgSlug, change } = input;
  const before = await getLiveProfile(wh, orgSlug);
  const after = {
    ...before,
    default_currency: change.default_currency ?? before.default_currency,
    default_country: change.default_currency ? countryForCurrency(change.default_currency) : before.default_country,
    default_timezone: change.default_timezone ?? before.default_timezone,
  };
  const { affectedRows } = await wh.execute({
    sql: `UPDATE ${ref(wh, 'org_profiles')} SET default_currency = @currency, default_country = @country, default_timezone = @tz, updated_at = @now,
            locale_version = @next
          WHERE org_slug = @org AND COALESCE(locale_version, 0) = @seen`,
    params: { currency: after.default_currency, country: after.default_country, tz: after.default_timezone, now, org: orgSlug, seen: before.locale_version, next: before.locale_version + 1 },
  });
  forgetOrg(ctx, orgSlug);
  if (affectedRows !== 1) {
    throw new ConflictError('The locale was changed by another request at the same time; read it again and resend your change', { reason: 'concurrent_update' });
  }
  await writeAudit(ctx, { orgSlug, action: 'LOCALE_UPDATE', resourceType: 'ORGANIZATION', resourceId: orgSlug, details: { before: view(before), after: view(after) } })
    .catch((err: unknown) => ctx.logger.log('ERROR', 'locale changed but its audit row was not written', { request_id: ctx.requestId, error: err }));
  return view(after);
}
