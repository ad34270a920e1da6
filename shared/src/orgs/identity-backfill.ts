import { centralTables } from '../warehouse/schemas.js';
import type { Warehouse } from '../warehouse/port.js';
import { CENTRAL } from './tables.js';

/**
 * The migration that comes with the tenant column (orgs/identity.ts): rows written before
 * central tables had `org_id` carry none, and every read now filters on it, so an org
 * onboarded before the change would lose sight of its own credentials, audit and usage.
 *
 * A row is given the slug's current tenant only when it was written during that tenant's life
 * (its time column at or after the profile's `created_at`, which the onboarding claim sets):
 * rows of a slug's earlier life stay without a tenant and so stay invisible, which is the point.
 * Tables without such a column are left alone. One UPDATE per table, run once by bootstrap with
 * `sync_schema` (a second run finds nothing to change). This is the one place that writes
 * several central tables' SQL: it is a schema migration, not a store.
 */
const LIVE = `('ACTIVE', 'SUSPENDED', 'TRIAL', 'CANCELLED')`;

export async function backfillTenants(wh: Warehouse): Promise<{ table: string; rows: number }[]> {
  const profiles = wh.table(CENTRAL, 'org_profiles');
  const targets = centralTables().tables
    .filter((t) => t.name !== 'org_profiles')
    .map((t) => ({ name: t.name, names: new Set(t.fields.map((f) => f.name)) }))
    .filter((t) => t.names.has('org_slug') && t.names.has('org_id') && t.names.has('created_at'));
  const done = await Promise.all(targets.map(async (t) => {
    const { affectedRows } = await wh.execute({
      sql: `UPDATE ${wh.table(CENTRAL, t.name)} AS T SET org_id = P.onboarding_claim_id
            FROM ${profiles} AS P
            WHERE T.org_id IS NULL AND T.org_slug = P.org_slug AND P.status IN ${LIVE}
              AND P.onboarding_claim_id IS NOT NULL AND T.created_at >= P.created_at`,
    });
    return { table: t.name, rows: affectedRows };
  }));
  return done.filter((d) => d.rows > 0);
}
