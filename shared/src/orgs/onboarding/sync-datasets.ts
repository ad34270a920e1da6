import type { Ctx } from '../../context/index.js';
import { missingColumns, orgTables } from '../../warehouse/schemas.js';
import { liveDatasets } from '../profiles/store.js';

export interface OrgDatasetSync {
  org_slug: string;
  dataset_id: string;
  tables_created: string[];
  columns_added: { table: string; columns: string[] }[];
}

/** How many org datasets are synced at once (each is a few warehouse jobs). */
const PARALLEL = 8;

/**
 * Onboarding creates an org's tables once; tables and columns added to the schema files later
 * would never reach existing orgs. This brings every live org's dataset up to the schema files:
 * missing tables created, missing columns added (never dropped). Bootstrap runs it with
 * `sync_schema`. Only datasets that changed are reported.
 */
export async function syncOrgDatasets(ctx: Pick<Ctx, 'warehouse'>): Promise<OrgDatasetSync[]> {
  const wh = ctx.warehouse;
  const specs = orgTables().tables;
  const orgs = await liveDatasets(wh);
  const out: OrgDatasetSync[] = [];
  for (let i = 0; i < orgs.length; i += PARALLEL) {
    const done = await Promise.all(orgs.slice(i, i + PARALLEL).map(async (org) => {
      const layout = await wh.describeDataset(org.org_dataset_id);
      if (!layout.size) return undefined; // no dataset (dropped by hand): onboarding's job, not a sync's
      const missingTables = specs.filter((s) => !layout.has(s.name));
      const drift = specs.filter((s) => layout.has(s.name))
        .map((s) => ({ table: s.name, fields: missingColumns(s, layout.get(s.name)!) }))
        .filter((d) => d.fields.length);
      const created = await Promise.all(missingTables.map(async (s) => ((await wh.createTable(org.org_dataset_id, s)) ? s.name : undefined)));
      await Promise.all(drift.map((d) => wh.addColumns(org.org_dataset_id, d.table, d.fields)));
      const tables_created = created.filter((n): n is string => n !== undefined);
      if (!tables_created.length && !drift.length) return undefined;
      return { org_slug: org.org_slug, dataset_id: org.org_dataset_id, tables_created, columns_added: drift.map((d) => ({ table: d.table, columns: d.fields.map((f) => f.name) })) };
    }));
    for (const d of done) if (d) out.push(d);
  }
  return out;
}
