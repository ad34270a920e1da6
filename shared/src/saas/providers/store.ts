import type { Row, Warehouse } from '../../warehouse/port.js';
import { orgColumns, orgRef } from '../tables.js';

/**
 * The one owner of `{org}_prod.saas_subscription_providers` SQL: which SaaS providers the org
 * enabled, catalog or custom. A table of its own (not marker rows among the plans) because a
 * custom provider exists before it has any plan, and the plans table stays plans only for the
 * costs function that reads it.
 */
const TABLE = 'saas_subscription_providers';

export interface ProviderRow {
  provider: string;
  display_name: string | null;
  category: string;
  is_custom: boolean;
  is_enabled: boolean;
  enabled_at: string | null;
  disabled_at: string | null;
  created_at: string;
  updated_at: string | null;
}

let listed: string | undefined;
const LISTED = (): string => (listed ??= orgColumns(TABLE).filter((c) => c !== 'org_slug').join(', '));

function toRow(r: Row): ProviderRow {
  return {
    provider: String(r.provider),
    display_name: (r.display_name as string | null) ?? null,
    category: String(r.category),
    is_custom: Boolean(r.is_custom),
    is_enabled: Boolean(r.is_enabled),
    enabled_at: (r.enabled_at as string | null) ?? null,
    disabled_at: (r.disabled_at as string | null) ?? null,
    created_at: String(r.created_at),
    updated_at: (r.updated_at as string | null) ?? null,
  };
}

/**
 * The org's provider rows. Two first enables at the same instant could each insert a row (an
 * insert-only MERGE is not serialised on BigQuery): the newest row per provider is the one read.
 */
export async function listProviders(wh: Warehouse, dataset: string, provider?: string): Promise<Map<string, ProviderRow>> {
  const rows = await wh.query({
    sql: `SELECT ${LISTED()} FROM ${orgRef(wh, dataset, TABLE)}${provider ? ' WHERE provider = @provider' : ''} ORDER BY updated_at DESC, created_at DESC`,
    params: provider ? { provider } : {},
  });
  const out = new Map<string, ProviderRow>();
  for (const r of rows) if (!out.has(String(r.provider))) out.set(String(r.provider), toRow(r));
  return out;
}

/**
 * Enables or disables a provider for the org: one MERGE that updates its row or inserts it. A
 * row already so is left alone (enabling an enabled provider writes nothing), so repeated or
 * concurrent enables do not queue conflicting updates of one row.
 */
export async function setProvider(wh: Warehouse, dataset: string, a: {
  orgSlug: string; provider: string; displayName: string | null; category: string; isCustom: boolean; enabled: boolean; now: Date;
}): Promise<void> {
  await wh.execute({
    sql: `MERGE INTO ${orgRef(wh, dataset, TABLE)} AS t
          USING (SELECT @provider AS provider) AS s ON t.provider = s.provider
          WHEN MATCHED AND (t.is_enabled != @enabled OR t.category != @category OR (@display_name IS NOT NULL AND (t.display_name IS NULL OR t.display_name != @display_name))) THEN UPDATE SET is_enabled = @enabled, category = @category, display_name = COALESCE(@display_name, t.display_name),
            enabled_at = CASE WHEN @enabled THEN @now ELSE t.enabled_at END, disabled_at = CASE WHEN @enabled THEN t.disabled_at ELSE @now END, updated_at = @now
          WHEN NOT MATCHED THEN INSERT (org_slug, provider, display_name, category, is_custom, is_enabled, enabled_at, disabled_at, created_at, updated_at)
            VALUES (@org, @provider, @display_name, @category, @is_custom, @enabled, CASE WHEN @enabled THEN @now END, CASE WHEN @enabled THEN NULL ELSE @now END, @now, @now)`,
    params: { provider: a.provider, enabled: a.enabled, category: a.category, display_name: a.displayName, now: a.now, org: a.orgSlug, is_custom: a.isCustom },
    types: { display_name: 'STRING' },
  });
}
