import { defineRoute } from '@cloudact/shared';
import { OrgSlugParams } from '@cloudact/shared/orgs/schemas';
import { getLocale } from '@cloudact/shared/orgs/locale/get';
import { LocaleResponse } from '../../../schemas.js';

export const getLocaleRoute = defineRoute({
  method: 'GET', path: '/api/v1/organizations/{org_slug}/locale', auth: 'org', tags: ['locale'],
  summary: 'The org\'s currency (with symbol, name, decimals), country, language and timezone',
  params: OrgSlugParams,
  response: LocaleResponse,
  // Not async: a warm locale answers without a promise (the router's fast path).
  handler({ params, ctx }) {
    return getLocale(ctx, { orgSlug: params.org_slug });
  },
});
