import type { Ctx } from '../context/index.js';
import type { OrgProfile } from '../context/org.js';
import { orgDataset } from '../orgs/tables.js';
import type { TableSpec, Warehouse } from '../warehouse/port.js';
import { orgTables } from '../warehouse/schemas.js';
import { localDate } from '../i18n/dates.js';

export type SaasTable = 'saas_subscription_plans' | 'saas_subscription_providers';

/** A table of the org dataset as its schema file in configs/ describes it. */
export function orgSpec(name: SaasTable): TableSpec {
  const spec = orgTables().tables.find((t) => t.name === name);
  if (!spec) throw new Error(`No org table ${name}`);
  return spec;
}

/** Column names from the schema file, so no store retypes them. */
export function orgColumns(name: SaasTable): string[] {
  return orgSpec(name).fields.map((f) => f.name);
}

export function orgRef(wh: Warehouse, dataset: string, name: SaasTable): string {
  return wh.table(dataset, name);
}

/** What a SaaS verb needs of the org: its dataset and its own date today. */
export interface OrgScope {
  profile: OrgProfile;
  dataset: string;
  today: string;
}

export async function orgScope(ctx: Ctx, orgSlug: string): Promise<OrgScope> {
  const profile = await ctx.profiles.get(orgSlug);
  return { profile, dataset: profile.org_dataset_id, today: localDate(ctx.clock(), profile.default_timezone) };
}

/**
 * The org scope and a read of its dataset in ONE round-trip even when the profile is not cached:
 * the read starts at once on the dataset onboarding names `{org}_prod`, beside the profile read,
 * and is repeated only if the profile records another dataset (it never does today).
 */
export async function readWithScope<T>(ctx: Ctx, orgSlug: string, read: (dataset: string) => Promise<T>): Promise<{ scope: OrgScope; result: T }> {
  const guess = orgDataset(orgSlug);
  const [scope, result] = await Promise.all([orgScope(ctx, orgSlug), read(guess)]);
  return { scope, result: scope.dataset === guess ? result : await read(scope.dataset) };
}
