import type { OrgProfile } from '../../context/index.js';
import { currency } from '../../i18n/index.js';

/** What the locale routes answer: the org's locale with its currency's symbol, name and decimals. */
export function view(p: Pick<OrgProfile, 'org_slug' | 'default_currency' | 'default_country' | 'default_language' | 'default_timezone'>) {
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
