import { randomUUID } from 'node:crypto';
import { actorId, type Ctx } from '../../context/index.js';
import { ForbiddenError } from '../../errors.js';
import { writeAudit } from '../../orgs/audit/store.js';
import { getPlan } from '../../orgs/plan/store.js';
import { seedDefaultPricing } from '../pricing/seed.js';
import type { CheckResult } from '../check-api-key.js';
import { checkWithProvider } from './check.js';
import { credentialAad, parseCredential } from './format.js';
import { resolveProvider } from './provider.js';
import { tenantOf, type Tenant } from '../../orgs/identity.js';
import { activeByProvider, activeProviders, deactivateRow, DEFAULT_HIERARCHY_FIELDS, insertCredential, retireOlder, type DefaultHierarchy, type ValidationStatus } from './store.js';
import { placeDefaults } from './hierarchy.js';

export interface SetupInput extends DefaultHierarchy {
  orgSlug: string;
  provider: string;
  credential: string;
  credential_name?: string;
  metadata?: Record<string, unknown>;
  skip_validation?: boolean;
}

export interface SetupResult {
  success: boolean;
  provider: string;
  credential_id: string;
  validation_status: ValidationStatus;
  validation_error: string | null;
  message: string;
  fingerprint: string;
  pricing_seeded: boolean;
}

/**
 * Stores a provider credential for the org after the provider itself has checked it.
 *   0. format (422), plan's providers limit (403), skip_validation only in development (403)
 *   1. the provider's check  |  the org's plan, its active credentials, its profile (parallel reads)
 *   2. insert the new credential (encrypted, bound to org + provider)  |  seed default pricing on a first VALID LLM setup
 *   3. only when the plan limits providers and this one is new: the active providers again (a
 *      setup of another provider may have landed meanwhile); past the limit this setup takes its
 *      own row back and answers 403
 *   4. retire the provider's older credential rows  |  audit row
 * Three sequential warehouse round-trips (four under a providers limit; one more, the hierarchy read, when a default entity is given); the provider call holds no warehouse connection. A
 * provider that cannot be reached is 502 and nothing is stored. An INVALID credential is stored
 * as INVALID, so the status shows why.
 */
export async function setupIntegration(ctx: Ctx, sent: SetupInput, opts: { hierarchyChecked?: boolean } = {}): Promise<SetupResult> {
  // The default allocation as the current tree has it (or a 422) before anything is checked or stored.
  const input = opts.hierarchyChecked ? sent : await placeDefaults(ctx, sent.orgSlug, sent);
  const def = resolveProvider(ctx, input.provider);
  const parsed = parseCredential(def, input.credential);
  if (input.skip_validation && ctx.config.environment === 'production') throw new ForbiddenError('skip_validation is not allowed in production');
  const wh = ctx.warehouse;
  const now = ctx.clock();

  const tenant = await tenantOf(ctx, input.orgSlug); // from the org key: no round-trip
  const [check, plan, active, profile] = await Promise.all([
    input.skip_validation ? Promise.resolve<CheckResult | null>(null) : checkWithProvider(ctx, def, parsed, input.credential),
    getPlan(wh, input.orgSlug),
    activeByProvider(wh, tenant),
    ctx.profiles.get(input.orgSlug),
  ]);
  const others = [...active.keys()].filter((p) => p !== def.canonical);
  const limit = plan.providers_limit;
  if (limit !== null && others.length >= limit) throw overLimit(plan.plan_name, limit, others);
  const status: ValidationStatus = check ? check.status : 'PENDING';
  const id = randomUUID();
  const encrypted = await ctx.encryptor.encrypt(input.credential, credentialAad(tenant, def.canonical));
  const seed = status === 'VALID' && def.category === 'llm';
  const [, seeded] = await Promise.all([
    insertCredential(wh, {
      id, tenant, provider: def.canonical, name: input.credential_name ?? null, type: def.credential_type, fingerprint: parsed.fingerprint,
      encrypted, status, error: check?.error ?? null, validatedAt: check ? now : null, keyExpiresAt: check?.key_expires_at ? new Date(check.key_expires_at) : null, metadata: input.metadata ?? null, hierarchy: hierarchyOf(input), actorId: actorId(ctx.actor), now,
    }),
    seed ? seedDefaultPricing(ctx, { datasetId: profile.org_dataset_id, provider: def, now }) : Promise.resolve(0),
  ]);
  // A new provider under a limit: the check above saw the providers before this insert, so
  // concurrent setups of other providers may all have passed it. Each counts again after its
  // own insert; whoever then sees more than the limit takes its own row back. The last to insert
  // sees every earlier row, so at most `limit` providers stay (some setups may be refused that
  // would have fitted, never the other way round).
  if (limit !== null && !active.has(def.canonical)) await holdProvidersLimit(ctx, tenant, { id, provider: def.canonical, plan: plan.plan_name, limit, now });
  const [retired] = await Promise.allSettled([
    retireOlder(wh, tenant, def.canonical, { id, createdAt: now }, now),
    writeAudit(ctx, {
      orgSlug: input.orgSlug, action: 'INTEGRATION_SETUP', resourceType: 'INTEGRATION', resourceId: id,
      details: { provider: def.canonical, validation_status: status, fingerprint: parsed.fingerprint, replaced: active.get(def.canonical)?.credential_id ?? null, pricing_seeded: seeded },
    }),
  ]);
  // The new row is in and is the newest: reads already use it. Older rows stay active until a retry retires them.
  if (retired.status === 'rejected') ctx.logger.log('WARNING', `integration ${def.canonical} of ${input.orgSlug}: older credential rows not retired yet`, { request_id: ctx.requestId });
  return {
    success: status === 'VALID',
    provider: def.canonical,
    credential_id: id,
    validation_status: status,
    validation_error: check?.error ?? null,
    message: status === 'VALID' ? `${def.display_name} credential verified and stored` : status === 'PENDING' ? `${def.display_name} credential stored without validation (development only)` : `${def.display_name} rejected the credential: ${check?.error}`,
    fingerprint: parsed.fingerprint,
    pricing_seeded: seeded > 0,
  };
}

function overLimit(plan: string, limit: number, others: string[]): ForbiddenError {
  return new ForbiddenError(`The ${plan} plan allows ${limit} integration provider(s); ${others.length} are configured (${others.join(', ')})`);
}

async function holdProvidersLimit(ctx: Ctx, tenant: Tenant, a: { id: string; provider: string; plan: string; limit: number; now: Date }): Promise<void> {
  const providers = await activeProviders(ctx.warehouse, tenant);
  if (providers.length <= a.limit) return;
  await deactivateRow(ctx.warehouse, a.id, a.now);
  throw overLimit(a.plan, a.limit, providers.filter((p) => p !== a.provider));
}

/** The default allocation fields the caller gave (the others stay unset). */
export function hierarchyOf(input: DefaultHierarchy): DefaultHierarchy {
  return Object.fromEntries(DEFAULT_HIERARCHY_FIELDS.filter((f) => input[f] !== undefined).map((f) => [f, input[f]]));
}
