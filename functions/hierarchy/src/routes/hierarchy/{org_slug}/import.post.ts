import { defineRoute } from '@cloudact/shared';
import { importHierarchy } from '@cloudact/shared/hierarchy/csv/import';
import { ImportBody, ImportResponse } from '../../../entities.schemas.js';
import { OrgParams } from '../../../schemas.js';

export const importRoute = defineRoute({
  method: 'POST', path: '/api/v1/hierarchy/{org_slug}/import', auth: 'org', tags: ['hierarchy'],
  summary: 'Make the CSV the org\'s hierarchy (full sync), all or nothing; a file with problems → 422 naming them, nothing written',
  params: OrgParams,
  body: ImportBody,
  response: ImportResponse,
  async handler({ params, body, ctx }) {
    return importHierarchy(ctx, { orgSlug: params.org_slug, csv: body.csv_content });
  },
});
