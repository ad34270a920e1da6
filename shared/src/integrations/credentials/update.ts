import { tenantOf } from '../../orgs/identity.js';
import { actorId, type Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { getIntegration } from './list.js';
import { resolveProvider } from './provider.js';
import { hierarchyOf, setupIntegration } from './setup.js';
import { activeByProvider, DEFAULT_HIERARCHY_FIELDS, updateDetails, type DefaultHierarchy } from './store.js';
import { placeDefaults } from './hierarchy.js';

export interface UpdateInput extends DefaultHierarchy {
  orgSlug: string;
  provider: string;
  credential?: string;
  credential_name?: string;
  metadata?: Record<string, unknown>;
  /**
   * With a credential: as on setup (development only). Without one nothing is checked anyway: the
   * web app's GCP billing-export form sends `true` with its metadata, and it means just that.
   */
  skip_validation?: boolean;
}

/**
 * With a new credential, a new setup (checked, stored, the old one retired; name, metadata and
 * default allocation carried over unless given); otherwise those in place.
 */
export async function updateIntegration(ctx: Ctx, sent: UpdateInput) {
  // Only what this request sets is checked against the tree: a kept default is carried as it was.
  const input = await placeDefaults(ctx, sent.orgSlug, sent);
  const def = resolveProvider(ctx, input.provider);
  const current = (await activeByProvider(ctx.warehouse, await tenantOf(ctx, input.orgSlug))).get(def.canonical);
  if (!current) throw new NotFoundError(`No ${def.display_name} integration is configured for ${input.orgSlug}`);
  if (input.credential !== undefined) {
    const kept = Object.fromEntries(DEFAULT_HIERARCHY_FIELDS.map((f) => [f, current[f] ?? undefined]));
    return setupIntegration(ctx, {
      ...kept, ...hierarchyOf(input),
      orgSlug: input.orgSlug, provider: input.provider, credential: input.credential, credential_name: input.credential_name ?? current.credential_name ?? undefined,
      metadata: input.metadata ?? current.metadata ?? undefined, ...(input.skip_validation ? { skip_validation: true } : {}),
    }, { hierarchyChecked: true });
  }
  await updateDetails(ctx.warehouse, { id: current.credential_id, name: input.credential_name, metadata: input.metadata, hierarchy: hierarchyOf(input), actorId: actorId(ctx.actor), now: ctx.clock() });
  await auditAfter(ctx, {
    orgSlug: input.orgSlug, action: 'INTEGRATION_UPDATE', resourceType: 'INTEGRATION', resourceId: current.credential_id,
    details: { provider: def.canonical, before: { credential_name: current.credential_name, metadata: current.metadata }, after: { credential_name: input.credential_name ?? current.credential_name, metadata: input.metadata ?? current.metadata } },
  });
  return getIntegration(ctx, { orgSlug: input.orgSlug, provider: input.provider });
}
