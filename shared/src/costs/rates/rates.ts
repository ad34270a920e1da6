import type { Ctx } from '../../context/index.js';
import type { Warehouse } from '../../warehouse/port.js';
import { referenceFixings } from './reference.js';
import { operatorFixings } from './store.js';
import { RateTable } from './table.js';

const TTL_MS = 60_000;
/** Per instance and warehouse: operator rates change rarely, and every cost request needs them. */
const cache = new WeakMap<Warehouse, { table: Promise<RateTable>; until: number }>();

/**
 * The rates in force: the shipped reference plus operator rows, cached for a minute per
 * instance (an upsert through this instance forgets at once, others see it within the minute).
 */
export function rateTable(ctx: Pick<Ctx, 'warehouse' | 'clock'>): Promise<RateTable> {
  const now = ctx.clock().getTime();
  const hit = cache.get(ctx.warehouse);
  if (hit && hit.until > now) return hit.table;
  const table = operatorFixings(ctx.warehouse).then((rows) => new RateTable(referenceFixings(), rows));
  cache.set(ctx.warehouse, { table, until: now + TTL_MS });
  table.catch(() => { if (cache.get(ctx.warehouse)?.table === table) cache.delete(ctx.warehouse); });
  return table;
}

export function forgetRates(wh: Warehouse): void {
  cache.delete(wh);
}
