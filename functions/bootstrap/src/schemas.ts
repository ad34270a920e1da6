import { z } from 'zod';

export const BootstrapBody = z.strictObject({
  force_recreate_dataset: z.boolean().optional().describe('Drop the whole organizations dataset first (destructive).'),
  force_recreate_tables: z.boolean().optional().describe('Drop and recreate every meta table (destructive).'),
  sync_schema: z.boolean().optional().describe('Add columns that existing tables lack compared with their schema files.'),
  confirm: z.string().optional().describe('Must be "organizations" for a destructive run in production.'),
});
export type BootstrapBody = z.infer<typeof BootstrapBody>;

/** Success body of POST /admin/bootstrap (`bootstrapCentral`'s result). */
export const BootstrapResponse = z.strictObject({
  status: z.literal('SUCCESS'),
  dataset: z.string(),
  dataset_created: z.boolean(),
  total_tables: z.number().int(),
  tables_created: z.array(z.string()),
  tables_existed: z.array(z.string()),
  tables_recreated: z.array(z.string()),
  schema_drift: z.array(z.strictObject({ table: z.string(), missing_columns: z.array(z.string()) })).describe('Existing tables missing columns that their schema file has'),
  columns_added: z.array(z.strictObject({ table: z.string(), columns: z.array(z.string()) })),
  org_datasets_synced: z.array(z.strictObject({
    org_slug: z.string(),
    dataset_id: z.string(),
    tables_created: z.array(z.string()),
    columns_added: z.array(z.strictObject({ table: z.string(), columns: z.array(z.string()) })),
  })).describe('With sync_schema: the org datasets that gained tables or columns from the schema files'),
  tenants_backfilled: z.array(z.strictObject({ table: z.string(), rows: z.number().int() }))
    .describe('With sync_schema: rows written before central tables named their tenant, now given the org_id of the life they were written in'),
  message: z.string(),
});
export type BootstrapResponse = z.input<typeof BootstrapResponse>;

export const BootstrapStatusQuery = z.strictObject({
  force_refresh: z.stringbool().default(false).describe('Check the warehouse now instead of answering from this instance\'s last check (kept 30 s)'),
});
export type BootstrapStatusQuery = z.infer<typeof BootstrapStatusQuery>;

/** Success body of GET /admin/bootstrap/status (`bootstrapStatus`'s result); both ages of the web app read status and tables_missing before every onboarding. */
export const BootstrapStatusResponse = z.strictObject({
  status: z.enum(['SYNCED', 'OUT_OF_SYNC', 'NOT_BOOTSTRAPPED']).describe('SYNCED: every table and column of the schema files exists. OUT_OF_SYNC: tables or columns differ (POST /admin/bootstrap, with sync_schema for columns). NOT_BOOTSTRAPPED: the dataset has none of its tables. Always a 200: the web app reads this field'),
  dataset: z.string(),
  dataset_exists: z.boolean().describe('False when the dataset is absent or holds no table'),
  tables_expected: z.number().int().describe('Tables in the schema files (configs/setup/bootstrap)'),
  tables_existing: z.array(z.string()).describe('Expected tables that exist'),
  tables_missing: z.array(z.string()).describe('Expected tables that do not exist; the web app refuses to onboard while any is missing'),
  tables_extra: z.array(z.string()).describe('Tables in the dataset that no schema file names'),
  schema_diffs: z.record(z.string(), z.strictObject({
    missing_columns: z.array(z.string()).describe('Columns of the schema file the table lacks (what sync_schema adds)'),
    extra_columns: z.array(z.string()).describe('Columns the table has that its schema file does not'),
  })).describe('Only tables whose columns differ from their schema file'),
  message: z.string(),
  checked_at: z.iso.datetime().describe('When the warehouse was asked (ISO 8601, UTC)'),
  cached: z.boolean().describe('True when answered from this instance\'s last check'),
});
export type BootstrapStatusResponse = z.input<typeof BootstrapStatusResponse>;
