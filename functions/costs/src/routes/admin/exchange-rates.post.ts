import { defineRoute } from '@cloudact/shared';
import { upsertExchangeRates } from '@cloudact/shared/costs/rates/upsert';
import { RatesBody, RatesResponse } from '../../rates.schemas.js';

export const exchangeRatesRoute = defineRoute({
  method: 'POST', path: '/api/v1/admin/exchange-rates', auth: 'root', tags: ['costs'],
  summary: 'Upsert exchange rates (units per EUR by day); they win over the shipped ECB reference for their day',
  body: RatesBody,
  response: RatesResponse,
  async handler({ body, ctx }) {
    return upsertExchangeRates(ctx, body);
  },
});
