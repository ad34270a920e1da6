import { join } from 'node:path';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { seedCosts, type SeedCostsInput } from '@cloudact/shared/costs/seed/seed';
import { routes } from '../src/routes.js';
import { testDeps } from '../../../shared/test/support/deps.js';
import { bootstrap, onboard, settableClock } from '../../../shared/test/support/orgs.js';
export { referenceEngine } from '../../../shared/test/support/duck-reference.js';

export const CONFIGS = join(import.meta.dirname, '../../../configs');

/** A costs app on in-memory DuckDB with bootstrap done and one org onboarded and seeded. */
export async function costsApp(org: { slug: string; currency: string; timezone: string; now: string }, seed?: Omit<SeedCostsInput, 'orgSlug'>) {
  const clock = settableClock(Date.parse(org.now));
  const deps = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000' }, { clock: clock.clock });
  await bootstrap(deps);
  const { api_key: key } = await onboard(deps, org.slug, { default_currency: org.currency, default_timezone: org.timezone } as never);
  if (seed) await seedCosts(deps, { orgSlug: org.slug, ...seed });
  const app = buildFunctionApp('costs', routes, deps);
  const get = async <T = Record<string, unknown>>(path: string, apiKey = key) => {
    const res = await app.fetch(new Request(`http://fn/api/v1/costs/${org.slug}${path}`, { headers: { 'x-api-key': apiKey } }));
    return { status: res.status, body: (await res.json()) as T, headers: res.headers };
  };
  return { deps, app, key, clock, get };
}

/** Per-row cost in `target` with the rate of the row's local day (last fixing on or before it), in DuckDB SQL. */
export function convertedSql(timeZone: string, target: string, extra: readonly string[] = []): string {
  return `WITH r AS (
      SELECT CAST(timezone('${timeZone}', ChargePeriodStart AT TIME ZONE 'UTC') AS DATE) AS day,
             CAST(ChargePeriodStart AS DATE) AS utc_day, BillingCurrency AS cur, EffectiveCost, BilledCost, ProviderName, ServiceCategory, x_CostCategory${extra.map((c) => `, ${c}`).join('')}
      FROM ledger)
    SELECT r.*, CAST(r.EffectiveCost AS DOUBLE) * t.per_eur / s.per_eur AS cost
    FROM r ASOF JOIN rates s ON s.currency = r.cur AND s.date <= r.day
           ASOF JOIN rates t ON t.currency = '${target}' AND t.date <= r.day`;
}
