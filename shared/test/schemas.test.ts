import { describe, expect, it } from 'vitest';
import { centralTables, orgTables } from '../src/warehouse/schemas.js';

const CENTRAL = ['org_profiles', 'org_api_keys', 'org_subscriptions', 'org_usage_quotas', 'org_integration_credentials', 'org_meta_pipeline_runs', 'org_meta_step_logs', 'org_meta_dq_results', 'org_pipeline_configs', 'org_scheduled_pipeline_runs', 'org_pipeline_execution_queue', 'org_cost_tracking', 'org_audit_logs', 'org_kms_keys', 'org_idempotency_keys', 'exchange_rates', 'org_hierarchy_levels', 'org_hierarchy', 'org_hierarchy_allocation_rules', 'org_budgets', 'org_chat_settings', 'org_notification_channels', 'org_notification_rules', 'org_notification_summaries', 'org_alert_firings', 'org_notification_history', 'org_cost_anomalies'];

describe('table configs', () => {
  it('define the central meta tables (incl. hierarchy and budgets) and exchange_rates with valid partitioning and clustering', () => {
    const set = centralTables();
    expect(set.dataset).toBe('organizations');
    expect(set.tables.map((t) => t.name)).toEqual(CENTRAL);
    for (const t of set.tables) {
      const names = t.fields.map((f) => f.name);
      expect(new Set(names).size, `${t.name} has duplicate columns`).toBe(names.length);
      if (t.partitionField) expect(['DATE', 'TIMESTAMP']).toContain(t.fields.find((f) => f.name === t.partitionField)?.type);
      expect(t.clustering?.length ?? 0).toBeLessThanOrEqual(4);
    }
  });

  it('define the 9 tables of every org dataset', () => {
    const set = orgTables();
    expect(set.datasetSuffix).toBe('_prod');
    expect(set.tables).toHaveLength(9);
    expect(set.tables.find((t) => t.name === 'cost_data_standard_1_2')?.partitionField).toBe('ChargePeriodStart');
  });
});
