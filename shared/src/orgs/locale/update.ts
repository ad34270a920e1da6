import { forgetOrg, type Ctx } from '../../context/index.js';
import { ConflictError } from '../../errors.js';
import { countryForCurrency } from '../../i18n/index.js';
import { auditAfter } from '../audit/store.js';
import { getLiveProfile, updateLocaleIfUnchanged } from '../profiles/store.js';
import { view } from './view.js';

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
  const affectedRows = await updateLocaleIfUnchanged(wh, { orgSlug, currency: after.default_currency, country: after.default_country, timezone: after.default_timezone, seenVersion: before.locale_version, now });
  forgetOrg(ctx, orgSlug);
  if (affectedRows !== 1) {
    throw new ConflictError('The locale was changed by another request at the same time; read it again and resend your change', { reason: 'concurrent_update' });
  }
  await auditAfter(ctx, { orgSlug, orgId: before.org_id, action: 'LOCALE_UPDATE', resourceType: 'ORGANIZATION', resourceId: orgSlug, details: { before: view(before), after: view(after) } });
  return view(after);
}
