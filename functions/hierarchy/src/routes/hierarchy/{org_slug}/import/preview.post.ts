import { defineRoute } from '@cloudact/shared';
import { previewImport } from '@cloudact/shared/hierarchy/csv/preview';
import { ImportBody, ImportPreviewResponse } from '../../../../entities.schemas.js';
import { OrgParams } from '../../../../schemas.js';

export const importPreviewRoute = defineRoute({
  method: 'POST', path: '/api/v1/hierarchy/{org_slug}/import/preview', auth: 'org', tags: ['hierarchy'],
  summary: 'What an import of this CSV would create, update and delete (the CSV is the whole hierarchy), and its problems; writes nothing',
  params: OrgParams,
  body: ImportBody,
  response: ImportPreviewResponse,
  rateClass: 'read',
  async handler({ params, body, ctx }) {
    return previewImport(ctx, { orgSlug: params.org_slug, csv: body.csv_content });
  },
});
