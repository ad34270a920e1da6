import type { Row, Warehouse } from '../../warehouse/port.js';
import type { Tenant } from '../../orgs/identity.js';
import { centralSpec, columnsOf, ref } from '../../orgs/tables.js';
import { rowsAsSelect } from '../source-rows.js';

/**
 * The one owner of `organizations.org_chat_settings` SQL. At most one active row per tenant.
 * Saving settings is ONE MERGE that inserts the new row, retires every active row of the
 * tenant and touches the tenant's lock row (setting_id '-lock-', never active): BigQuery does
 * not serialise insert-only statements (two "insert and retire the others" on an org with no
 * row yet would both insert), but it does serialise statements that modify the same rows, so
 * the lock row makes two saves run one after another, and the second retires the first's row.
 * (The original streamed its insert: two saves left two active rows.)
 */
export const LOCK = '-lock-';
const TABLE = 'org_chat_settings' as const;

export interface ChatSettingsRow {
  setting_id: string;
  org_slug: string;
  provider: string;
  credential_id: string;
  model_id: string;
  model_name: string | null;
  temperature: number;
  max_tokens: number;
  include_org_context: boolean;
  enable_memory: boolean;
  max_history_messages: number;
  system_prompt_extra: string | null;
  is_active: boolean;
  configured_by: string | null;
  created_at: string;
  updated_at: string | null;
  updated_by: string | null;
}

const LISTED = (): string => columnsOf(TABLE, ['org_id', 'revision']).join(', ');
const ts = (v: unknown): string | null => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());

function toRow(r: Row): ChatSettingsRow {
  return {
    setting_id: String(r.setting_id), org_slug: String(r.org_slug), provider: String(r.provider), credential_id: String(r.credential_id),
    model_id: String(r.model_id), model_name: (r.model_name as string | null) ?? null, temperature: Number(r.temperature), max_tokens: Number(r.max_tokens),
    include_org_context: Boolean(r.include_org_context), enable_memory: Boolean(r.enable_memory), max_history_messages: Number(r.max_history_messages),
    system_prompt_extra: (r.system_prompt_extra as string | null) ?? null, is_active: Boolean(r.is_active), configured_by: (r.configured_by as string | null) ?? null,
    created_at: ts(r.created_at)!, updated_at: ts(r.updated_at), updated_by: (r.updated_by as string | null) ?? null,
  };
}

/** The tenant's active settings (the newest, should a row from before this store linger), or undefined. */
export async function activeSettings(wh: Warehouse, t: Tenant): Promise<ChatSettingsRow | undefined> {
  const [row] = await wh.query({
    sql: `SELECT ${LISTED()} FROM ${ref(wh, TABLE)} WHERE org_slug = @org AND org_id = @org_id AND is_active AND setting_id != @lock ORDER BY created_at DESC, setting_id LIMIT 1`,
    params: { org: t.orgSlug, org_id: t.orgId, lock: LOCK },
  });
  return row ? toRow(row) : undefined;
}

/** Every active row of the tenant (the race test counts them). */
export async function activeCount(wh: Warehouse, t: Tenant): Promise<number> {
  const [row] = await wh.query({ sql: `SELECT COUNT(*) AS n FROM ${ref(wh, TABLE)} WHERE org_slug = @org AND org_id = @org_id AND is_active`, params: { org: t.orgSlug, org_id: t.orgId } });
  return Number(row?.n ?? 0);
}

function lockRow(t: Tenant, now: Date): Record<string, string | number | boolean | Date> {
  return {
    setting_id: LOCK, org_slug: t.orgSlug, org_id: t.orgId, provider: LOCK, credential_id: LOCK, model_id: LOCK, temperature: 0, max_tokens: 0,
    include_org_context: false, enable_memory: false, max_history_messages: 0, is_active: false, created_at: now, revision: 0,
  };
}

/** Inserts the tenant's lock row unless there is one (insert-only: two first calls may both insert it; saves touch every lock row). */
export async function ensureLock(wh: Warehouse, t: Tenant, now: Date): Promise<void> {
  const src = rowsAsSelect(centralSpec(TABLE), [lockRow(t, now)], 'l');
  const table = ref(wh, TABLE);
  const cols = centralSpec(TABLE).fields.map((f) => f.name);
  await wh.execute({
    sql: `INSERT INTO ${table} (${cols.join(', ')}) SELECT ${cols.map((c) => `s.${c}`).join(', ')} FROM (${src.sql}) AS s
          WHERE NOT EXISTS (SELECT 1 FROM ${table} WHERE org_slug = @org AND org_id = @org_id AND setting_id = @lock)`,
    params: { ...src.params, org: t.orgSlug, org_id: t.orgId, lock: LOCK },
    types: src.types,
  });
}

/**
 * The new active row and the retirement of every other active row of the tenant, in ONE MERGE
 * serialised by the tenant's lock row (see the header). Returns the rows it changed.
 */
export async function replaceActive(wh: Warehouse, t: Tenant, row: ChatSettingsRow, now: Date): Promise<number> {
  const table = ref(wh, TABLE);
  const spec = centralSpec(TABLE);
  const cols = spec.fields.map((f) => f.name);
  const src = rowsAsSelect(spec, [{ ...row, org_id: t.orgId, created_at: new Date(row.created_at), updated_at: now, revision: 0 }], 's');
  const { affectedRows } = await wh.execute({
    sql: `MERGE INTO ${table} AS T
          USING (
            SELECT ${cols.map((c) => `n.${c}`).join(', ')}, 'insert' AS op FROM (${src.sql}) AS n
            UNION ALL
            SELECT ${cols.map((c) => `o.${c}`).join(', ')}, CASE WHEN o.setting_id = @lock THEN 'lock' ELSE 'retire' END AS op FROM ${table} AS o
            WHERE o.org_slug = @org AND o.org_id = @org_id AND (o.is_active OR o.setting_id = @lock)
          ) AS S
          ON T.setting_id = S.setting_id AND T.org_id = S.org_id
          WHEN MATCHED AND S.op = 'lock' THEN UPDATE SET updated_at = @now, revision = COALESCE(T.revision, 0) + 1
          WHEN MATCHED AND S.op = 'retire' THEN UPDATE SET is_active = FALSE, updated_at = @now, updated_by = @actor, revision = COALESCE(T.revision, 0) + 1
          WHEN NOT MATCHED AND S.op = 'insert' THEN INSERT (${cols.join(', ')}) VALUES (${cols.map((c) => `S.${c}`).join(', ')})`,
    params: { ...src.params, org: t.orgSlug, org_id: t.orgId, lock: LOCK, now, actor: row.configured_by },
    types: { ...src.types, now: 'TIMESTAMP', actor: 'STRING' },
  });
  return affectedRows;
}

export type SettingsChange = Partial<Pick<ChatSettingsRow, 'provider' | 'credential_id' | 'model_id' | 'model_name' | 'temperature' | 'max_tokens' | 'include_org_context' | 'enable_memory' | 'max_history_messages' | 'system_prompt_extra'>>;

/** Changes the active row `settingId` in place; 0 when it is not (or no longer) the active one. */
export async function updateActive(wh: Warehouse, t: Tenant, settingId: string, change: SettingsChange, a: { now: Date; actor: string | null }): Promise<number> {
  const entries = Object.entries(change).filter(([, v]) => v !== undefined);
  const fields = new Map(centralSpec(TABLE).fields.map((f) => [f.name, f]));
  const params: Record<string, string | number | boolean | Date | null> = { org: t.orgSlug, org_id: t.orgId, id: settingId, now: a.now, actor: a.actor };
  const types: Record<string, 'STRING' | 'FLOAT64' | 'INT64' | 'BOOL'> = { actor: 'STRING' };
  for (const [k, v] of entries) {
    params[`v_${k}`] = v as string | number | boolean | null;
    const type = fields.get(k)!.type;
    types[`v_${k}`] = type === 'FLOAT64' ? 'FLOAT64' : type === 'INTEGER' ? 'INT64' : type === 'BOOLEAN' ? 'BOOL' : 'STRING';
  }
  const { affectedRows } = await wh.execute({
    sql: `UPDATE ${ref(wh, TABLE)} SET ${[...entries.map(([k]) => `${k} = @v_${k}`), 'updated_at = @now', 'updated_by = @actor', 'revision = COALESCE(revision, 0) + 1'].join(', ')}
          WHERE org_slug = @org AND org_id = @org_id AND setting_id = @id AND is_active`,
    params,
    types,
  });
  return affectedRows;
}

/** Deactivates the active row `settingId`; 0 when it is not active. */
export async function deactivate(wh: Warehouse, t: Tenant, settingId: string, a: { now: Date; actor: string | null }): Promise<number> {
  const { affectedRows } = await wh.execute({
    sql: `UPDATE ${ref(wh, TABLE)} SET is_active = FALSE, updated_at = @now, updated_by = @actor, revision = COALESCE(revision, 0) + 1
          WHERE org_slug = @org AND org_id = @org_id AND setting_id = @id AND is_active`,
    params: { org: t.orgSlug, org_id: t.orgId, id: settingId, now: a.now, actor: a.actor },
    types: { actor: 'STRING' },
  });
  return affectedRows;
}
