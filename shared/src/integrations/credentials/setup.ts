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
import { activeByProvider, insertCredential, retireOthers, type ValidationStatus } from './store.js';

export interface SetupInput {
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
 *   3. retire the provider's older credential rows  |  audit row
 * Three sequential warehouse round-trips; the provider call holds no warehouse connection. A
 * provider that cannot be reached is 502 and nothing is stored. An INVALID credential is stored
 * as INVALID, so the status shows why.
 */
export async function setupIntegration(ctx: Ctx, input: SetupInput): Promise<SetupResult> {
  const def = resolveProvider(ctx, input.provider);
  const parsed = parseCredential(def, input.credential);
  if (input.skip_validation && ctx.config.environment === 'production') throw new ForbiddenError('skip_validation is not allowed in production');
  const wh = ctx.warehouse;
  const now = ctx.clock();

  const [check, plan, active, profile] = await Promise.all([
    input.skip_validation ? Promise.resolve<CheckResult | null>(null) : checkWithProvider(ctx, def, parsed, input.credential),
    getPlan(wh, input.orgSlug),
    activeByProvider(wh, input.orgSlug),
    ctx.profiles.get(input.orgSlug),
  ]);
  const others = [...active.keys()].filter((p) => p !== def.canonical);
  if (plan.providers_limit !== null && others.length >= plan.providers_limit) {
    throw new ForbiddenError(`The ${plan.plan_name} plan allows ${plan.providers_limit} integration provider(s); ${others.length} are configured (${others.join(', ')})`);
  }
  const status: ValidationStatus = check ? check.status : 'PENDING';
  const id = randomUUID();
  const encrypted = await ctx.encryptor.encrypt(input.credential, credentialAad(input.orgSlug, def.canonical));
  const seed = status === 'VALID' && def.category === 'llm';
  const [, seeded] = await Promise.all([
    insertCredential(wh, {
      id, orgSlug: input.orgSlug, provider: def.canonical, name: input.credential_name ?? null, type: def.credential_type, fingerprint: parsed.fingerprint,
      encrypted, status, error: check?.error ?? null, validatedAt: check ? now : null, metadata: input.metadata ?? null, actorId: actorId(ctx.actor), now,
    }),
    seed ? seedDefaultPricing(ctx, { datasetId: profile.org_dataset_id, provider: def, now }) : Promise.resolve(0),
  ]);
  const [retired] = await Promise.allSettled([
    retireOthers(wh, input.orgSlug, def.canonical, id, now),
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
