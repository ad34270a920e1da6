import { defineRoute } from '@cloudact/shared';
import { TIMEZONES } from '@cloudact/shared/i18n';
import { TimezonesResponse } from '../../schemas.js';

export const timezonesRoute = defineRoute({
  method: 'GET', path: '/api/v1/i18n/timezones', auth: 'public', tags: ['i18n'],
  summary: 'Supported IANA timezones',
  response: TimezonesResponse,
  async handler() {
    return { timezones: TIMEZONES, default: 'UTC' };
  },
});
