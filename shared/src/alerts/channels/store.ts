import { randomUUID } from 'node:crypto';
import type { InsertRow } from '../../warehouse/dml.js';
import type { ParamType, ParamValue, Row, Warehouse } from '../../warehouse/port.js';
import type { Tenant } from '../../orgs/identity.js';
import { alertColumns, alertRef, bytesOrNull, fromJson, selectParams, strOrNull, tsOf, tsOrNull } from '../tables.js';
import { LOCK, type Channel } from './fields.js';

/**
 * The one owner of `organizations.org_notification_channels` SQL: one row per channel, changed
 * in place, plus the tenant's lock row (channel_type 'lock'). Every create and update is ONE
 * MERGE that bumps the lock row, writes the channel and, when it is a default, clears the
 * other defaults of its type: two concurrent "make me the default" writes conflict ("could not
 * serialize"), the loser reruns on a fresh snapshot and clears the winner, so one default per
 * type remains whatever the interleaving.
 */
const TABLE = 'org_notification_channels' as const;
const cols = () => alertColumns(TABLE);

function toChannel(r: Row): Channel {
  return {
    channel_id: String(r.channel_id), org_slug: String(r.org_slug), channel_type: String(r.channel_type) as Channel['channel_type'], name: String(r.name),
    is_default: Boolean(r.is_default), is_active: Boolean(r.is_active),
    email_recipients: fromJson<string[]>(r.email_recipients, []), email_cc_recipients: fromJson<string[]>(r.email_cc_recipients, []), email_subject_prefix: strOrNull(r.email_subject_prefix),
    slack_channel: strOrNull(r.slack_channel), slack_mention_users: fromJson<string[]>(r.slack_mention_users, []), slack_mention_channel: Boolean(r.slack_mention_channel),
    webhook_method: (strOrNull(r.webhook_method) as Channel['webhook_method']),
    encrypted_target: bytesOrNull(r.encrypted_target), encrypted_signing_secret: bytesOrNull(r.encrypted_signing_secret),
    encrypted_previous_signing_secret: bytesOrNull(r.encrypted_previous_signing_secret), previous_secret_expires_at: tsOrNull(r.previous_secret_expires_at),
    created_at: tsOf(r.created_at), created_by: strOrNull(r.created_by), updated_at: tsOf(r.updated_at), updated_by: strOrNull(r.updated_by),
  };
}

function channelRow(t: Tenant, c: Channel): InsertRow {
  return {
    ...c, org_slug: t.orgSlug, org_id: t.orgId, revision: 0,
    email_recipients: JSON.stringify(c.email_recipients), email_cc_recipients: JSON.stringify(c.email_cc_recipients), slack_mention_users: JSON.stringify(c.slack_mention_users),
    created_at: new Date(c.created_at), updated_at: new Date(c.updated_at),
    previous_secret_expires_at: c.previous_secret_expires_at ? new Date(c.previous_secret_expires_at) : null,
  };
}

/** The tenant's channels, oldest first (never the lock row). */
export async function listChannels(wh: Warehouse, t: Tenant): Promise<Channel[]> {
  const rows = await wh.query({
    sql: `SELECT ${cols().join(', ')} FROM ${alertRef(wh, TABLE)} WHERE org_slug = @org AND org_id = @org_id AND channel_type != 'lock' ORDER BY created_at, channel_id`,
    params: { org: t.orgSlug, org_id: t.orgId },
  });
  return rows.map(toChannel);
}

export async function getChannel(wh: Warehouse, t: Tenant, channelId: string): Promise<Channel | null> {
  const rows = await wh.query({
    sql: `SELECT ${cols().join(', ')} FROM ${alertRef(wh, TABLE)} WHERE org_slug = @org AND org_id = @org_id AND channel_id = @id AND channel_type != 'lock'`,
    params: { org: t.orgSlug, org_id: t.orgId, id: channelId },
  });
  return rows.length ? toChannel(rows[0]!) : null;
}

/** Inserts the tenant's lock row unless there is one (two at once may both insert: every MERGE touches all of them). */
export async function ensureChannelsLock(wh: Warehouse, t: Tenant, now: Date): Promise<void> {
  const T = alertRef(wh, TABLE);
  const params: Record<string, ParamValue> = { org_id: t.orgId };
  const types: Record<string, ParamType> = {};
  const lock: InsertRow = {
    channel_id: `${LOCK}${randomUUID()}`, org_slug: t.orgSlug, org_id: t.orgId, channel_type: 'lock', name: 'write lock (see shared/src/alerts/channels/store.ts)',
    is_default: false, is_active: false, revision: 0, created_at: now, updated_at: now,
  };
  await wh.execute({
    sql: `INSERT INTO ${T} (${cols().join(', ')}) SELECT ${cols().join(', ')} FROM (SELECT ${selectParams(TABLE, lock, 'l_', params, types)}) AS x
          WHERE NOT EXISTS (SELECT 1 FROM ${T} AS m WHERE m.org_id = @org_id AND m.channel_type = 'lock')`,
    params, types,
  });
}

/**
 * ONE MERGE: bumps the lock row, inserts or replaces `channel`, and (when it is an active
 * default) clears is_default on the tenant's other channels of its type. Returns the rows
 * affected (0: the tenant has no lock row).
 */
export async function writeChannel(wh: Warehouse, t: Tenant, channel: Channel, now: Date): Promise<number> {
  const T = alertRef(wh, TABLE);
  const c = cols();
  const params: Record<string, ParamValue> = { org_id: t.orgId, now, type: channel.channel_type, id: channel.channel_id, clears: channel.is_default && channel.is_active };
  const types: Record<string, ParamType> = {};
  // Every lock row of the tenant (two first writes may each have made one): a write touches them all, so any two writes share a row.
  const anyLock = `EXISTS (SELECT 1 FROM ${T} AS k WHERE k.org_id = @org_id AND k.channel_type = 'lock')`;
  const given = selectParams(TABLE, channelRow(t, channel), 'c_', params, types);
  const settable = c.filter((x) => !['channel_id', 'org_slug', 'org_id', 'created_at', 'created_by', 'revision'].includes(x));
  const { affectedRows } = await wh.execute({
    sql: `MERGE INTO ${T} AS t
          USING (
            SELECT 'lock' AS kind, ${c.map((x) => `l.${x}`).join(', ')} FROM ${T} AS l WHERE l.org_id = @org_id AND l.channel_type = 'lock'
            UNION ALL
            SELECT 'clear' AS kind, ${c.map((x) => `o.${x}`).join(', ')} FROM ${T} AS o
              WHERE @clears AND o.org_id = @org_id AND o.channel_type = @type AND o.is_default AND o.channel_id != @id
                AND ${anyLock}
            UNION ALL
            SELECT 'write' AS kind, ${c.map((x) => `g.${x}`).join(', ')} FROM (SELECT ${given}) AS g
              WHERE ${anyLock}
          ) AS s
          ON t.channel_id = s.channel_id AND t.org_id = @org_id
          WHEN MATCHED AND s.kind = 'lock' THEN UPDATE SET revision = t.revision + 1, updated_at = @now
          WHEN MATCHED AND s.kind = 'clear' THEN UPDATE SET is_default = FALSE, updated_at = @now
          WHEN MATCHED AND s.kind = 'write' THEN UPDATE SET ${settable.map((x) => `${x} = s.${x}`).join(', ')}
          WHEN NOT MATCHED AND s.kind = 'write' THEN INSERT (${c.join(', ')}) VALUES (${c.map((x) => `s.${x}`).join(', ')})`,
    params, types,
  });
  return affectedRows;
}

export async function deleteChannel(wh: Warehouse, t: Tenant, channelId: string): Promise<number> {
  const { affectedRows } = await wh.execute({
    sql: `DELETE FROM ${alertRef(wh, TABLE)} WHERE org_id = @org_id AND org_slug = @org AND channel_id = @id AND channel_type != 'lock'`,
    params: { org_id: t.orgId, org: t.orgSlug, id: channelId },
  });
  return affectedRows;
}
