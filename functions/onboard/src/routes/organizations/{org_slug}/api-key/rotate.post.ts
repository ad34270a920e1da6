import { defineRoute, ForbiddenError } from '@cloudact/shared';
import { rotateKey } from '@cloudact/shared/orgs/keys/rotate';
import { OrgSlugParams } from '@cloudact/shared/orgs/schemas';
import { RotateBody, RotateResponse } from '../../../../schemas.js';

export const rotateApiKeyRoute = defineRoute({
  method: 'POST', path: '/api/v1/organizations/{org_slug}/api-key/rotate', auth: 'org', tags: ['api-keys'],
  summary: 'Replace the calling key; the old one stops now or after grace_period_seconds',
  params: OrgSlugParams,
  body: RotateBody,
  response: RotateResponse,
  secretResponse: true,
  async handler({ body, principal, ctx }) {
    if (principal.kind !== 'org') throw new ForbiddenError('Rotation needs the org API key being rotated');
    return rotateKey(ctx, { orgSlug: principal.orgSlug, keyId: principal.keyId, graceSeconds: body.grace_period_seconds ?? 0 });
  },
});
