import { defineRoute } from '@cloudact/shared';
import { processAll } from '@cloudact/shared/alerts/evaluate/process-all';
import { ProcessAllBody, ProcessAllResult } from '../../../schemas.js';

export const processAllRoute = defineRoute({
  method: 'POST', path: '/api/v1/admin/alerts/process-all', auth: 'root', tags: ['notifications'],
  summary: 'Evaluate the alert rules of every org in service (or one), firing each rule × period × threshold once and delivering it; one org\'s failure is an org_errors entry',
  body: ProcessAllBody,
  response: ProcessAllResult,
  async handler({ body, ctx }) {
    return processAll(ctx, body);
  },
});
