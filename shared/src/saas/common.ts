import type { Ctx } from '../context/index.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { writeAudit, type AuditEntry } from '../orgs/audit/store.js';
import { saasCatalog, type CatalogProvider } from './catalog.js';
import type { PlanRow } from './plans/store.js';
import type { ProviderRow } from './providers/store.js';

/** Writes the audit row of a change that has happened; a lost row is logged, never turned into an error. */
export async function auditDone(ctx: Ctx, entry: AuditEntry): Promise<void> {
  await writeAudit(ctx, entry).catch((err: unknown) =>
    ctx.logger.log('ERROR', `${entry.action} done but its audit row was not written`, { request_id: ctx.requestId, error: err }));
}

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
