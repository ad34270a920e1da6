import type { Ctx } from '../../context/index.js';
import { ConflictError, ValidationError } from '../../errors.js';
import { tenantOf, type Tenant } from '../../orgs/identity.js';
import { dayNumber, isCivilDate } from '../../i18n/dates.js';
import type { Warehouse } from '../../warehouse/port.js';
import { MAX_ALLOCATION_RULES, type AllocationRule } from '../../costs/ledger/allocation.js';
import { actorOf } from '../actor.js';
import { cachedRules, forgetRules } from './cache.js';
import { readCurrent, type EntityRow } from '../entities/store.js';
import { ensureRulesLock, insertRuleVersion, readRuleVersions, type RuleVersion, type StoredRule } from './store.js';

/** The label keys tried in order when a version names none (the original's allocation labels). */
export const DEFAULT_LABEL_KEYS = ['cost_center', 'team', 'department', 'entity_id'] as const;

/** Label keys as GCP, AWS and Azure allow them in common: lower-case letters, digits, _ and -, starting with a letter. */
const LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const LABEL_VALUE = /^[\p{L}\p{N}_.:/=+@ -]{1,256}$/u;

export interface RuleSetInput { effective_from?: string; label_keys?: string[]; rules?: StoredRule[] }

export interface RulesAnswer { org_slug: string; current: RuleVersion | null; versions: RuleVersion[] }

function refuse(field: string, message: string): never {
  throw new ValidationError(message, { [field]: [message] });
}

/** The current version (the newest) and every version, oldest first. */
export async function getAllocationRules(ctx: Ctx, input: { orgSlug: string }): Promise<RulesAnswer> {
  const { versions } = await readRuleVersions(ctx.warehouse, await tenantOf(ctx, input.orgSlug));
  return { org_slug: input.orgSlug, current: versions[versions.length - 1] ?? null, versions };
}

/**
 * A rule set checked against the current tree: label keys' format, each rule's key among them,
 * its value, its entity active in the tree, no (key, value) twice. 422 naming the field.
 */
export function checkRuleSet(input: RuleSetInput, entities: readonly EntityRow[], orgSlug: string): { label_keys: string[]; rules: StoredRule[] } {
  const keys = input.label_keys ?? [...DEFAULT_LABEL_KEYS];
  if (!keys.length) refuse('label_keys', 'label_keys must name at least one label key');
  keys.forEach((k, i) => {
    if (!LABEL_KEY.test(k)) refuse(`label_keys[${i}]`, `label_keys[${i}] must be 1-63 lower-case letters, digits, _ or -, starting with a letter`);
  });
  if (new Set(keys).size !== keys.length) refuse('label_keys', 'label_keys names a key twice');
  const rules = input.rules ?? [];
  if (rules.length > MAX_ALLOCATION_RULES) refuse('rules', `At most ${MAX_ALLOCATION_RULES} rules`);
  const active = new Map(entities.filter((e) => e.is_active).map((e) => [e.entity_id.toUpperCase(), e]));
  const seen = new Set<string>();
  const out = rules.map((r, i) => {
    if (!keys.includes(r.label_key)) refuse(`rules[${i}].label_key`, `rules[${i}].label_key ${r.label_key} is not one of label_keys (${keys.join(', ')})`);
    if (!LABEL_VALUE.test(r.label_value)) refuse(`rules[${i}].label_value`, `rules[${i}].label_value must be 1-256 letters, digits, spaces or _ . : / = + @ -`);
    const e = active.get(r.entity_id.trim().toUpperCase());
    if (!e) refuse(`rules[${i}].entity_id`, `rules[${i}].entity_id ${r.entity_id} is not an active entity of this org's hierarchy (GET /api/v1/hierarchy/${orgSlug}/tree lists them)`);
    const k = `${r.label_key}\u0000${r.label_value}`;
    if (seen.has(k)) refuse(`rules[${i}].label_value`, `rules[${i}].label_value repeats label ${r.label_key}=${r.label_value}`);
    seen.add(k);
    return { label_key: r.label_key, label_value: r.label_value, entity_id: e.entity_id };
  });
  return { label_keys: keys, rules: out };
}

/**
 * A new version from `effective_from` (on or after the current version's: history is not
 * rewritten). One conditional INSERT on the next number: of two concurrent PUTs one makes it,
 * the other is 409 (re-read and retry).
 */
export async function putAllocationRules(ctx: Ctx, input: { orgSlug: string; body: RuleSetInput }): Promise<RuleVersion> {
  const from = input.body.effective_from;
  if (from === undefined || !isCivilDate(from)) refuse('effective_from', 'effective_from must be a date YYYY-MM-DD');
  const t = await tenantOf(ctx, input.orgSlug);
  const [{ versions, counter }, { entities }] = await Promise.all([readRuleVersions(ctx.warehouse, t), readCurrent(ctx.warehouse, t)]);
  const checked = checkRuleSet(input.body, entities, input.orgSlug);
  const last = versions[versions.length - 1];
  if (last && from < last.effective_from) refuse('effective_from', `effective_from must be on or after the current version's (${last.effective_from})`);
  if (counter === null) await ensureRulesLock(ctx.warehouse, t, ctx.clock());
  const expected = counter ?? 0;
  const v = { version: expected + 1, effective_from: from, ...checked, created_by: actorOf(ctx) };
  const made = await insertRuleVersion(ctx.warehouse, t, expected, v, ctx.clock());
  forgetRules(ctx.warehouse, input.orgSlug);
  if (!made) throw new ConflictError(`Allocation rules version ${v.version} was just written by another request; read them again`);
  return { ...v, created_at: ctx.clock().toISOString() };
}

/**
 * The rules of `versions` as the reduction applies them: each version in force from its
 * effective_from to the next one's (a later version from the same day replaces it), rules in the
 * version's label-key order, entities as the current tree names and places them (a move moves
 * label-allocated costs too). Rules whose entity left the tree are dropped.
 */
export function rulesInForce(versions: readonly Pick<RuleVersion, 'effective_from' | 'label_keys' | 'rules'>[], entities: readonly EntityRow[]): AllocationRule[] {
  const byId = new Map(entities.filter((e) => e.is_active).map((e) => [e.entity_id, e]));
  const out: AllocationRule[] = [];
  versions.forEach((v, i) => {
    const next = versions.slice(i + 1).find((n) => n.effective_from > v.effective_from);
    if (versions.slice(i + 1).some((n) => n.effective_from === v.effective_from)) return;
    const fromDay = dayNumber(v.effective_from);
    const toDay = next ? dayNumber(next.effective_from) : null;
    for (const key of v.label_keys) {
      for (const r of v.rules.filter((x) => x.label_key === key)) {
        const e = byId.get(r.entity_id);
        if (!e) continue;
        out.push({ key, value: r.label_value, entityId: e.entity_id, entityName: e.entity_name, levelCode: e.level_code, path: e.path, pathNames: e.path_names.join(' > '), fromDay, toDay, source: i });
      }
    }
  });
  return out.slice(0, MAX_ALLOCATION_RULES);
}

/** The tenant's rules in force, for a cost scope (two small reads of central tables, none when the org has no rules; cached a minute per instance, cache.ts). */
export async function allocationRulesOf(wh: Warehouse, t: Tenant): Promise<AllocationRule[]> {
  return cachedRules(wh, t, async () => {
    const { versions } = await readRuleVersions(wh, t);
    if (!versions.length) return [];
    return rulesInForce(versions, (await readCurrent(wh, t)).entities);
  });
}
