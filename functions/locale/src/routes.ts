import type { RouteDef } from '@cloudact/shared';
import { currenciesRoute } from './routes/i18n/currencies.get.js';
import { getLocaleRoute } from './routes/organizations/{org_slug}/locale.get.js';
import { timezonesRoute } from './routes/i18n/timezones.get.js';
import { updateLocaleRoute } from './routes/organizations/{org_slug}/locale.put.js';

/** URL prefixes this function owns (longest match wins; see onboard's routes.ts). */
export const prefixes = ['/api/v1/organizations/{org_slug}/locale', '/api/v1/i18n'] as const;

/** The locale function's route table. */
export const routes: readonly RouteDef[] = [getLocaleRoute, updateLocaleRoute, currenciesRoute, timezonesRoute];
