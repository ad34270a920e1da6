import type { RouteDef } from '@cloudact/shared';
import * as alerts from '../functions/alerts/src/routes.js';
import * as bootstrap from '../functions/bootstrap/src/routes.js';
import * as budgets from '../functions/budgets/src/routes.js';
import * as costs from '../functions/costs/src/routes.js';
import * as hierarchy from '../functions/hierarchy/src/routes.js';
import * as integrations from '../functions/integrations/src/routes.js';
import * as locale from '../functions/locale/src/routes.js';
import * as onboard from '../functions/onboard/src/routes.js';
import * as pipelines from '../functions/pipelines/src/routes.js';
import * as subscriptions from '../functions/subscriptions/src/routes.js';

export interface FunctionTable {
  name: string;
  /** The URL prefixes the function owns; a path goes to the function with the longest match. */
  prefixes: readonly string[];
  routes: readonly RouteDef[];
}

/** Every deployed function and its route table: the one list the gateway, specs and tests read. */
export const functionTables: readonly FunctionTable[] = [
  { name: 'bootstrap', prefixes: bootstrap.prefixes, routes: bootstrap.routes },
  { name: 'onboard', prefixes: onboard.prefixes, routes: onboard.routes },
  { name: 'integrations', prefixes: integrations.prefixes, routes: integrations.routes },
  { name: 'locale', prefixes: locale.prefixes, routes: locale.routes },
  { name: 'subscriptions', prefixes: subscriptions.prefixes, routes: subscriptions.routes },
  { name: 'costs', prefixes: costs.prefixes, routes: costs.routes },
  { name: 'pipelines', prefixes: pipelines.prefixes, routes: pipelines.routes },
  { name: 'hierarchy', prefixes: hierarchy.prefixes, routes: hierarchy.routes },
  { name: 'budgets', prefixes: budgets.prefixes, routes: budgets.routes },
  { name: 'alerts', prefixes: alerts.prefixes, routes: alerts.routes },
];
