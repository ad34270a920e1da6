import { NotFoundError, ValidationError } from '../errors.js';
import { saasCatalog, type CatalogProvider } from './catalog.js';
import type { PlanRow } from './plans/store.js';
import type { ProviderRow } from './providers/store.js';

/** The version a path names, of the path's provider, or 404. */
export function findVersion(rows: readonly PlanRow[], subscriptionId: string, provider: string): PlanRow {
  const row = rows.find((r) => r.subscription_id === subscriptionId);
  if (!row || row.provider !== provider) throw new NotFoundError(`No plan ${subscriptionId} for provider ${provider}`);
  return row;
}

/** What a provider name refers to: the catalog's entry and/or the org's row (custom providers have only the row). */
export function knownProvider(provider: string, row: ProviderRow | undefined): { catalog: CatalogProvider | undefined; row: ProviderRow | undefined } {
  const catalog = saasCatalog().find(provider);
  if (!catalog && !row) throw new NotFoundError(`Unknown provider '${provider}': not in the catalog and not enabled as a custom provider (POST .../providers/${provider}/enable)`);
  return { catalog, row };
}

/** A category from configs/saas/categories.yml, or 422 naming them. */
export function checkCategory(category: string, field = 'category'): string {
  const { categories } = saasCatalog();
  if (!categories.includes(category)) throw new ValidationError(`Unknown category '${category}'`, { [`body.${field}`]: [`must be one of ${categories.join(', ')}`] });
  return category;
}

export function invalid(field: string, message: string): ValidationError {
  return new ValidationError(message, { [`body.${field}`]: [message] });
}
