import type { Row, TableSpec, Warehouse } from '../../warehouse/port.js';
import { paramTypeFor } from '../../warehouse/dml.js';
import { orgTables } from '../../warehouse/schemas.js';
import { rowsAsSelect } from '../source-rows.js';

/**
 * The one owner of `llm_subscriptions` SQL (in each org's dataset; the SaaS plans live in
 * their own table, never here). One row per provider and plan_name. Like the pricing table, it
 * holds one lock row (provider '-lock-') that serialises creates: see insertUnlessPresent.
 */
const TABLE = 'llm_subscriptions';
const LOCK = '-lock-';

let tableSpec: TableSpec | undefined;
export function subscriptionsSpec(): TableSpec {
  return (tableSpec ??= orgTables().tables.find((t) => t.name === TABLE)!);
}
const columns = (): string[] => subscriptionsSpec().fields.map((f) => f.name);
const list = (alias?: string): string => columns().map((c) => (alias ? `${alias}.${c}` : c)).join(', ');

export interface SubscriptionRow {
  subscription_id: string;
  provider: string;
  plan_name: string;
  is_custom: boolean;
  quantity: number;
  /** NUMERIC columns are exact decimal strings here; responses turn them into numbers. */
  unit_price: string;
  currency: string;
  effective_date: string;
  end_date: string | null;
  is_enabled: boolean;
  auth_type: string | null;
  notes: string | null;
  x_gemini_project_id: string | null;
  x_gemini_region: string | null;
  x_anthropic_workspace_id: string | null;
  x_openai_org_id: string | null;
  tier_type: string;
  trial_end_date: string | null;
  trial_credit: string | null;
  monthly_token_limit: number | null;
  daily_token_limit: number | null;
  rpm_limit: number | null;
  tpm_limit: number | null;
  rpd_limit: number | null;
  tpd_limit: number | null;
  concurrent_limit: number | null;
  committed_spend: string | null;
  commitment_term_months: number | null;
  discount_percentage: string | null;
  billing_period: string;
  yearly_price: string | null;
  yearly_discount_percentage: string | null;
  created_at: string;
  updated_at: string;
  /** Bumped by every rewrite (NULL, as 0, on rows from before the column): see rewriteSubscription. */
  revision: number | null;
}

function toRow(r: Row): SubscriptionRow {
  const out: Record<string, unknown> = {};
  for (const f of subscriptionsSpec().fields) out[f.name] = r[f.name] ?? null;
  return { ...(out as unknown as SubscriptionRow), revision: r.revision === null || r.revision === undefined ? null : Number(r.revision) };
}

export interface ListQuery {
  provider: string;
  isEnabled?: boolean;
  includeCustom: boolean;
  limit: number;
  offset: number;
}

export async function listSubscriptionRows(wh: Warehouse, dataset: string, q: ListQuery): Promise<SubscriptionRow[]> {
  const filters = ['provider = @provider', q.isEnabled === undefined ? '' : 'is_enabled = @enabled', q.includeCustom ? '' : 'NOT is_custom'].filter(Boolean);
  const rows = await wh.query({
    sql: `SELECT ${list()} FROM ${wh.table(dataset, TABLE)} WHERE ${filters.join(' AND ')} ORDER BY plan_name LIMIT @limit OFFSET @offset`,
    params: { provider: q.provider, limit: q.limit, offset: q.offset, ...(q.isEnabled === undefined ? {} : { enabled: q.isEnabled }) },
  });
  return rows.map(toRow);
}

/** The plan's row (the oldest, should a race ever have left two). */
export async function subscriptionByPlan(wh: Warehouse, dataset: string, provider: string, planName: string): Promise<SubscriptionRow | undefined> {
  const [row] = await wh.query({
    sql: `SELECT ${list()} FROM ${wh.table(dataset, TABLE)} WHERE provider = @provider AND plan_name = @plan ORDER BY created_at, subscription_id LIMIT 1`,
    params: { provider, plan: planName },
  });
  return row ? toRow(row) : undefined;
}

function lockRow(now: Date): Record<string, string | number | boolean | Date> {
  return {
    subscription_id: LOCK, provider: LOCK, plan_name: LOCK, is_custom: false, quantity: 0, unit_price: '0', currency: 'USD',
    effective_date: '1970-01-02', end_date: '1970-01-01', is_enabled: false, tier_type: 'paid', billing_period: 'monthly',
    notes: 'create lock (see shared/src/integrations/llm-subscriptions/store.ts)', created_at: now, updated_at: now,
  };
}

/** Inserts the lock row unless there is one (two first calls may both insert it: harmless, a create touches every lock row). */
export async function ensureLock(wh: Warehouse, dataset: string, now: Date): Promise<void> {
  const src = rowsAsSelect(subscriptionsSpec(), [lockRow(now)], 'l');
  const table = wh.table(dataset, TABLE);
  await wh.execute({
    sql: `INSERT INTO ${table} (${list()}) SELECT ${list('s')} FROM (${src.sql}) AS s WHERE NOT EXISTS (SELECT 1 FROM ${table} WHERE subscription_id = @lock)`,
    params: { ...src.params, lock: LOCK },
    types: src.types,
  });
}

/**
 * Adds the plan unless the provider has a plan of that name. Serialised by touching the lock
 * row in the same MERGE (BigQuery reruns one of two statements that modify rows of one table
 * on a fresh snapshot; insert-only statements it would not serialise): the pricing store's
 * insertUnlessPriced explains it in full. The caller reads back to learn whether it won.
 */
export async function insertUnlessPresent(wh: Warehouse, dataset: string, row: SubscriptionRow, now: Date): Promise<void> {
  const table = wh.table(dataset, TABLE);
  const src = rowsAsSelect(subscriptionsSpec(), [{ ...row }, lockRow(now)], 's', (i) => ({ op: i === 0 ? 'insert' : 'lock' }));
  await wh.execute({
    sql: `MERGE INTO ${table} AS T
          USING (
            SELECT src.*, (SELECT COUNT(*) FROM ${table} WHERE provider = @provider AND plan_name = @plan) AS taken
            FROM (${src.sql}) AS src
          ) AS S
          ON T.subscription_id = S.subscription_id
          WHEN MATCHED AND S.op = 'lock' THEN UPDATE SET updated_at = S.updated_at
          WHEN NOT MATCHED AND S.op = 'insert' AND S.taken = 0 THEN INSERT (${list()}) VALUES (${list('S')})`,
    params: { ...src.params, provider: row.provider, plan: row.plan_name },
    types: src.types,
  });
}

/**
 * Rewrites a plan's row in place (matched by id), only if it is still at the revision the caller
 * read (`readRevision`), and bumps the revision: a PUT that lost to another PUT (or a delete)
 * writes nothing and answers 0, instead of writing back fields it read before the other change.
 * UPDATEs of one table are run one after another on BigQuery (a loser reruns on a fresh
 * snapshot, where the revision no longer matches).
 */
export async function rewriteSubscription(wh: Warehouse, dataset: string, row: SubscriptionRow, readRevision: number | null): Promise<number> {
  const fixed = new Set(['subscription_id', 'provider', 'plan_name', 'created_at', 'revision']);
  const fields = subscriptionsSpec().fields.filter((f) => !fixed.has(f.name));
  const { affectedRows } = await wh.execute({
    sql: `UPDATE ${wh.table(dataset, TABLE)} SET ${fields.map((f) => `${f.name} = @${f.name}`).join(', ')}, revision = COALESCE(revision, 0) + 1
          WHERE subscription_id = @subscription_id AND COALESCE(revision, 0) = @read_revision`,
    params: Object.fromEntries([...fields.map((f) => [f.name, row[f.name as keyof SubscriptionRow] ?? null]), ['subscription_id', row.subscription_id], ['read_revision', readRevision ?? 0]]),
    types: Object.fromEntries(fields.map((f) => [f.name, paramTypeFor(f)])),
  });
  return affectedRows;
}

export async function deleteSubscription(wh: Warehouse, dataset: string, provider: string, planName: string): Promise<number> {
  const { affectedRows } = await wh.execute({
    sql: `DELETE FROM ${wh.table(dataset, TABLE)} WHERE provider = @provider AND plan_name = @plan`,
    params: { provider, plan: planName },
  });
  return affectedRows;
}

/** Reset: the provider's plans become exactly the defaults, in one atomic MERGE (insert them, delete every other plan of the provider). */
export async function replaceSubscriptionsWithDefaults(wh: Warehouse, dataset: string, provider: string, defaults: readonly SubscriptionRow[]): Promise<number> {
  const src = rowsAsSelect(subscriptionsSpec(), defaults.map((r) => ({ ...r })), 'd');
  const { affectedRows } = await wh.execute({
    sql: `MERGE INTO ${wh.table(dataset, TABLE)} AS T
          USING (${src.sql || `SELECT ${list()} FROM ${wh.table(dataset, TABLE)} WHERE FALSE`}) AS S
          ON T.subscription_id = S.subscription_id
          WHEN NOT MATCHED BY TARGET THEN INSERT (${list()}) VALUES (${list('S')})
          WHEN NOT MATCHED BY SOURCE AND T.provider = @provider THEN DELETE`,
    params: { ...src.params, provider },
    types: src.types,
  });
  return affectedRows;
}
