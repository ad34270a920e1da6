import { defineRoute } from '@cloudact/shared';
import { allocateBudget } from '@cloudact/shared/budgets/budgets/allocate';
import { AllocateBody, AllocateResponse, OrgParams } from '../../../schemas.js';

export const allocateRoute = defineRoute({
  method: 'POST', path: '/api/v1/budgets/{org_slug}/allocate', auth: 'org', tags: ['budgets'],
  summary: 'Allocate a parent budget to child entities by percentage (with existing children at most 100 %), all or nothing: one statement; a conflict → 409 and nothing written',
  params: OrgParams,
  body: AllocateBody,
  response: AllocateResponse,
  async handler({ params, body, ctx }) {
    return allocateBudget(ctx, { orgSlug: params.org_slug, ...body });
  },
});
