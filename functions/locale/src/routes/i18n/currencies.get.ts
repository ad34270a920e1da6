import { defineRoute } from '@cloudact/shared';
import { CURRENCIES } from '@cloudact/shared/i18n';
import { CurrenciesResponse } from '../../schemas.js';

export const currenciesRoute = defineRoute({
  method: 'GET', path: '/api/v1/i18n/currencies', auth: 'public', tags: ['i18n'],
  summary: 'Supported currencies with symbol, name, decimals and country',
  response: CurrenciesResponse,
  async handler() {
    return { currencies: CURRENCIES, default: 'USD' };
  },
});
