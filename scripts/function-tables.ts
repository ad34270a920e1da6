import type { RouteDef } from '@cloudact/shared';
import { routes as bootstrap } from '../functions/bootstrap/src/routes.js';
import { routes as costs } from '../functions/costs/src/routes.js';
import { routes as integrations } from '../functions/integrations/src/routes.js';
import { routes as locale } from '../functions/locale/src/routes.js';
import { routes as onboard } from '../functions/onboard/src/routes.js';
import { routes as subscriptions } from '../functions/subscriptions/src/routes.js';

export interface FunctionTable {
  name: string;
  routes: readonly RouteDef[];
}

/** Every deployed function and its route table: the one list the gateway, specs and tests read. */
export const functionTables: readonly FunctionTable[] = [
  { name: 'bootstrap', routes: bootstrap },
  { name: 'onboard', routes: onboard },
  { name: 'integrations', routes: integrations },
  { name: 'locale', routes: locale },
  { name: 'subscriptions', routes: subscriptions },
  { name: 'costs', routes: costs },
];
