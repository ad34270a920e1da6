import type { RouteDef } from '@cloudact/shared';
import { currenciesRoute } from './routes/currencies.js';
import { getLocaleRoute } from './routes/get-locale.js';
import { timezonesRoute } from './routes/timezones.js';
import { updateLocaleRoute } from './routes/update-locale.js';

/** The locale function's route table. */
export const routes: readonly RouteDef[] = [getLocaleRoute, updateLocaleRoute, currenciesRoute, timezonesRoute];
