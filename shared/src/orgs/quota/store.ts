import type { Row, Warehouse } from '../../warehouse/port.js';
import { ref } from '../tables.js';

/** The one owner of `org_usage_quotas` SQL (the pipelines write it; this API reads it). */
/**
 * The slug's usage rows of a date window, each with the tenant it belongs to: the caller keeps
 * its own tenant's (quota/get.ts reads them beside the profile, in the same round).
 */
export async function usageRows(wh: Warehouse, orgSlug: string, from: string, to: string): Promise<Row[]> {
  return wh.query({
    sql: `SELECT org_id, usage_date, pipelines_run_today, pipelines_succeeded_today, pipelines_failed_today, pipelines_run_month, concurrent_pipelines_running
          FROM ${ref(wh, 'org_usage_quotas')} WHERE org_slug = @org AND usage_date BETWEEN @from AND @to`,
    params: { org: orgSlug, from, to },
    types: { from: 'DATE', to: 'DATE' },
  });
}
