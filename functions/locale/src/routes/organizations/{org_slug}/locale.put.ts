import { defineRoute } from '@cloudact/shared';
import { OrgSlugParams } from '@cloudact/shared/orgs/schemas';
import { updateLocale } from '@cloudact/shared/orgs/locale/update';
import { LocaleResponse, LocaleUpdateBody } from '../../../schemas.js';

export const updateLocaleRoute = defineRoute({
  method: 'PUT', path: '/api/v1/organizations/{org_slug}/locale', auth: 'org', tags: ['locale'],
  summary: 'Change currency and/or timezone; the country follows the currency',
  params: OrgSlugParams,
  body: LocaleUpdateBody,
  response: LocaleResponse,
  async handler({ params, body, ctx }) {
    return updateLocale(ctx, { orgSlug: params.org_slug, change: body });
  },
});
