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
