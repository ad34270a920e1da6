import { defineRoute, ForbiddenError } from '@cloudact/shared';
import { rotateKey } from '@cloudact/shared/orgs/api-keys';
import { OrgSlugParams } from '@cloudact/shared/http/org-schemas';
import { RotateBody } from './onboard.schemas.js';

export const rotateApiKeyRoute = defineRoute({
  method: 'POST', path: '/api/v1/organizations/{org_slug}/api-key/rotate', auth: 'org', tags: ['api-keys'],
  summary: 'Replace the calling key; the old one stops now or after grace_period_seconds',
  params: OrgSlugParams,
  body: RotateBody,
  async handler({ params, body, deps, principal, requestId }) {
    if (principal.kind !== 'org') throw new ForbiddenError('Rotation needs the org API key being rotated');
    return rotateKey(deps, params.org_slug, principal.keyId, body.grace_period_seconds ?? 0, requestId);
  },
});
