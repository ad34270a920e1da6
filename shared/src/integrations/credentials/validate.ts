import { tenantOf } from '../../orgs/identity.js';
import type { Ctx } from '../../context/index.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { seedDefaultPricing } from '../pricing/seed.js';
import { checkWithProvider } from './check.js';
import { credentialAad, legacyCredentialAad, parseCredential } from './format.js';
import { resolveProvider } from './provider.js';
import { activeWithSecret, recordValidation } from './store.js';

/**
 * Checks the active credential with the provider again, whatever its stored status (an INVALID
 * key the provider has since re-enabled becomes VALID), and records the outcome. No active
 * credential: 200 with NOT_CONFIGURED. Unreachable provider: 502, nothing recorded.
 */
export async function validateIntegration(ctx: Ctx, input: { orgSlug: string; provider: string }) {
  const def = resolveProvider(ctx, input.provider);
  const tenant = await tenantOf(ctx, input.orgSlug); // from the org key: no round-trip
  const [row, profile] = await Promise.all([activeWithSecret(ctx.warehouse, tenant, def.canonical), ctx.profiles.get(input.orgSlug)]);
  if (!row) {
    return { success: false, provider: def.canonical, credential_id: null, validation_status: 'NOT_CONFIGURED' as const, validation_error: null, message: `No ${def.display_name} credential is configured`, fingerprint: null, pricing_seeded: false };
  }
  const now = ctx.clock();
  // A ciphertext bound to another org or provider (moved, or corrupted) does not decrypt: say so
  // in the status, where the org can see it and set the credential up again.
  const secret = await ctx.encryptor.decrypt(row.encrypted, credentialAad(tenant, def.canonical))
    .catch(() => ctx.encryptor.decrypt(row.encrypted, legacyCredentialAad(input.orgSlug, def.canonical)))
    .then((b) => b.toString('utf8'), () => undefined);
  const check = secret === undefined
    ? { status: 'INVALID' as const, error: 'The stored credential could not be decrypted; set it up again' }
    : await checkWithProvider(ctx, def, parseCredential(def, secret), secret);
  const [, seeded] = await Promise.all([
    recordValidation(ctx.warehouse, { id: row.credential_id, status: check.status, error: check.error, keyExpiresAt: check.key_expires_at ? new Date(check.key_expires_at) : null, now }),
    check.status === 'VALID' && def.category === 'llm' ? seedDefaultPricing(ctx, { datasetId: profile.org_dataset_id, provider: def, now }) : Promise.resolve(0),
  ]);
  await auditAfter(ctx, {
    orgSlug: input.orgSlug, action: 'INTEGRATION_VALIDATE', resourceType: 'INTEGRATION', resourceId: row.credential_id,
    details: { provider: def.canonical, before: { validation_status: row.validation_status }, after: { validation_status: check.status } },
  });
  return {
    success: check.status === 'VALID',
    provider: def.canonical,
    credential_id: row.credential_id,
    validation_status: check.status,
    validation_error: check.error,
    message: check.status === 'VALID' ? `${def.display_name} accepted the credential` : `${def.display_name} rejected the credential: ${check.error}`,
    fingerprint: row.fingerprint,
    pricing_seeded: seeded > 0,
  };
}
