import { z } from 'zod';
import { CURRENCY_CODES, TIMEZONE_IDS } from '../i18n/index.js';
import { PLAN_NAMES } from './plan/limits.js';
import { OrgSlug } from './slug.js';

/** Request schemas the onboard and locale functions share. Enum errors name the supported values. */
export { NewOrgSlug, OrgSlug } from './slug.js';
export const OrgSlugParams = z.strictObject({ org_slug: OrgSlug });

export const CurrencyCode = z.enum(CURRENCY_CODES, { error: `Unsupported currency; supported: ${CURRENCY_CODES.join(', ')}` });
export const TimezoneId = z.enum(TIMEZONE_IDS, { error: `Unsupported timezone; supported: ${TIMEZONE_IDS.join(', ')}` });
export const PlanNameZ = z.enum(PLAN_NAMES, { error: `Unknown plan; supported: ${PLAN_NAMES.join(', ')}` });
export const LanguageZ = z.string().transform((s) => s.toLowerCase()).pipe(z.enum(['en'], { error: 'Unsupported language; supported: en' }));
export const CountryCode = z.string().regex(/^[A-Z]{2}$/, 'default_country must be an ISO 3166-1 alpha-2 code such as US');
