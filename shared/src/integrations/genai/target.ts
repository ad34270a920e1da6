import type { Ctx } from '../../context/index.js';
import { localDate } from '../../i18n/dates.js';

/** Where a GenAI verb works: the org's dataset, currency and today in the org's own timezone (profile cached: no round-trip when warm). */
export async function genaiTarget(ctx: Ctx, orgSlug: string): Promise<{ dataset: string; currency: string; timezone: string; today: string }> {
  const profile = await ctx.profiles.get(orgSlug);
  return { dataset: profile.org_dataset_id, currency: profile.default_currency, timezone: profile.default_timezone, today: localDate(ctx.clock(), profile.default_timezone) };
}
