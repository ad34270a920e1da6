import { defineRoute } from '@cloudact/shared';
import { exportMetadata } from '@cloudact/shared/costs/export/export';
import { FocusMetadataResponse, OrgParams } from '../../../../costs.schemas.js';

export const exportMetadataRoute = defineRoute({
  method: 'GET', path: '/api/v1/costs/{org_slug}/export/metadata', auth: 'org', tags: ['costs'],
  summary: 'FOCUS 1.2 metadata of the FOCUS export: data generator and schema (SchemaId, FocusVersion, CreationDate, ColumnDefinition)',
  params: OrgParams,
  response: FocusMetadataResponse,
  async handler({ ctx }) {
    return exportMetadata(ctx);
  },
});
