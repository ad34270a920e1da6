import type { Ctx } from '../../context/index.js';
import { ConflictError } from '../../errors.js';
import { currency } from '../../i18n/index.js';
import { regenerateKeyAndProfile } from '../keys/regenerate.js';
import { planLimits, PLAN_NAMES, type PlanName } from '../plan/limits.js';
import { getPlan } from '../plan/store.js';
import { readKeyEpoch } from '../profiles/store.js';
import { onboardOrg, type OnboardInput, type OnboardResult } from './onboard.js';

/**
 * POST /organizations/onboard. Onboards as onboardOrg does; with `regenerate_api_key_if_exists`,
 * a slug held by a live ACTIVE org (the 409 "already exists with status 'ACTIVE'") instead gets
 * its keys regenerated exactly as the admin regenerate route does (keys/regenerate.ts: one winner
 * under concurrency, the losers 409, audited as API_KEY_REGENERATE), answered in the onboarding
 * shape with the new key. That is how the web app recovers when its own record of the org was
 * lost. For a new slug the flag changes nothing; any other status stays a 409.
 * Round-trips after the 409: (1) regeneration's profile read | key insert | the plan read,
 * (2) the epoch move, (3) revoke bookkeeping | audit. With the flag, the key epoch is read beside
 * the onboarding's first step.
 */
export async function onboardOrRegenerate(ctx: Ctx, input: OnboardInput): Promise<OnboardResult> {
  if (!input.regenerate_api_key_if_exists) return onboardOrg(ctx, input);
  // The key epoch as this request found it, read beside the claim (no extra round-trip): the
  // regeneration replaces that one only, so of concurrent retries exactly one wins, as with
  // concurrent admin regenerations, although their claims are serialised on the lock row.
  const [onboarded, epoch] = await Promise.allSettled([onboardOrg(ctx, input), readKeyEpoch(ctx.warehouse, input.org_slug)]);
  if (onboarded.status === 'fulfilled') return onboarded.value;
  const err: unknown = onboarded.reason;
  const live = err instanceof ConflictError && err.details?.reason === 'slug_taken' && err.details.org_status === 'ACTIVE';
  if (!live) throw err;
  if (epoch.status === 'rejected') throw epoch.reason;
  return regenerated(ctx, input.org_slug, epoch.value);
}

async function regenerated(ctx: Ctx, slug: string, expectedEpoch: string | null): Promise<OnboardResult> {
  // Settled together, so an error is answered only once the regeneration has finished. If the plan
  // read failed after a regeneration, the answer is a 503 and the new key never reaches the caller;
  // the web app retries a 5xx, and that retry regenerates again (one working key either way).
  const [regen, planRead] = await Promise.allSettled([regenerateKeyAndProfile(ctx, { orgSlug: slug, expectedEpoch }), getPlan(ctx.warehouse, slug)]);
  if (regen.status === 'rejected') throw regen.reason;
  if (planRead.status === 'rejected') throw planRead.reason;
  const { answer: key, profile } = regen.value;
  const plan = planRead.value;
  const planName: PlanName = (PLAN_NAMES as readonly string[]).includes(plan.plan_name) ? plan.plan_name as PlanName : 'STARTER';
  const defaults = planLimits(planName);
  const cur = currency(profile.default_currency);
  return {
    status: 'SUCCESS',
    org_slug: slug,
    company_name: profile.company_name,
    admin_email: profile.admin_email,
    org_status: 'ACTIVE',
    subscription_plan: planName,
    default_currency: profile.default_currency,
    default_country: profile.default_country,
    default_language: profile.default_language,
    default_timezone: profile.default_timezone,
    currency_symbol: cur?.symbol ?? profile.default_currency,
    currency_decimals: cur?.decimals ?? 2,
    created_at: profile.created_at,
    api_key: key.api_key,
    api_key_id: key.org_api_key_id,
    api_key_fingerprint: key.fingerprint,
    subscription: {
      subscription_id: plan.subscription_id,
      plan_name: planName,
      status: plan.status === 'TRIAL' ? 'TRIAL' : 'ACTIVE',
      daily_limit: plan.daily_limit,
      monthly_limit: plan.monthly_limit,
      concurrent_limit: plan.concurrent_limit,
      seat_limit: plan.seat_limit ?? defaults.seat_limit,
      providers_limit: plan.providers_limit ?? defaults.providers_limit,
    },
    dataset_id: profile.org_dataset_id,
    dataset_created: false,
    dataset_restored: false,
    tables_created: [],
    tables_existed: [],
    api_key_regenerated: true,
    org_api_key_hash: key.org_api_key_hash,
    message: `Organization ${slug} already existed; its keys were revoked and a new one issued (regenerate_api_key_if_exists). Store the API key now: it is not shown again.`,
  };
}
